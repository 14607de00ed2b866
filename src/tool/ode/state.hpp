// The state of the order-parameter ODEs and how it is laid out in the flat vector the integrator
// steps. The population quantities of a two-layer student and teacher depend on the weights only
// through Q = W W^T / N, R = W W*^T / N, T = W* W*^T / N and the second layers v, v*: these are
// the state (T and v* fixed; v fixed unless the second layer trains).
#pragma once
#include <vector>

#include "matrix.hpp"

namespace twolayer::tool::ode {

/// Order parameters and second layers of a student (P units) and a teacher (P* units).
struct order_state {
    matrix Q;                   ///< P x P, symmetric
    matrix R;                   ///< P x P*
    matrix T;                   ///< P* x P*, symmetric, fixed
    std::vector<double> v;      ///< P: the student's second layer
    std::vector<double> v_star; ///< P*: the teacher's second layer, fixed

    long P() const { return Q.rows; }
    long P_star() const { return T.rows; }
};

/// The covariance of the P + P* jointly Gaussian fields (lambda_1..P, nu_1..P*) of one input:
/// [[Q, R], [R^T, T]]. Field a < P is student unit a; field P + n is teacher unit n.
matrix field_covariance(const order_state& s);

/// The error signal y* - yhat = sum_a u_a g(field a) as weights on the fields: u = (-v, v*).
std::vector<double> error_weights(const order_state& s);

/// Where each integrated quantity lives in the flat state: the upper triangle of Q row by row
/// (Q is symmetric, so only P (P + 1) / 2 values are integrated), then R row-major, then v when
/// the second layer trains.
struct state_layout {
    long P = 0, P_star = 0;
    bool train_v = false;

    /// The number of integrated values.
    long size() const;
    /// Writes the integrated part of s into x (resized to size()).
    void pack(const order_state& s, std::vector<double>& x) const;
    /// Overwrites the integrated part of s from x, Q's lower triangle mirrored from the upper;
    /// T, v* (and v when fixed) stay as they are.
    void unpack(const std::vector<double>& x, order_state& s) const;
};

}  // namespace twolayer::tool::ode
