// Conserved quantities of the quadratic flow (g(x) = x^2) under the drift alone (--drift-only,
// no weight decay), which the tests check the integrated ODEs against and the experiments use.
//
// 1. With the second layer trained: each unit's "balance" Q_ii - (2 eta / eta_v) v_i^2. The output
//    is unchanged by w_i -> c w_i, v_i -> v_i / c^2, and the drift of Q_ii is -4 eta v_i X_ii
//    while that of v_i is -eta_v X_ii (flow.hpp), so d/dt [Q_ii - (2 eta/eta_v) v_i^2] = 0.
// 2. With both second layers uniform and fixed (v = a 1, v* = a* 1): write Q_perp = Q - R T^-1 R^T
//    (the overlaps of the students' components orthogonal to the teacher's span). Then
//      dQ_perp/dt = -2 eta (M Q_perp + Q_perp M),  dR/dt = -2 eta M R + 4 eta a a* R T,
//    with M = a (E[Delta] + 2 a Q) symmetric: R and Q_perp are moved by the same left factor, and
//    R also by the constant right factor Psi(t) = exp(4 eta a a* T t). Hence
//      K = Psi(t)^-1 R^T Q_perp^-1 R Psi(t)^-1   is constant in t.
//    The polar factor of R (science.md's "conserved quantity") is constant only when, in addition,
//    T is a multiple of the identity and Q_perp commutes with R R^T at the start (e.g. Q_perp(0)
//    a multiple of I: a random start at N -> infinity, where T = I and Q_perp(0) = s^2 I). Then
//    it holds with the eta^2 term too, since every term of the flow stays a function of R R^T.
//    A random start at finite N has T and Q_perp(0) within O(1/sqrt N) of multiples of I: the
//    polar factor is conserved up to that.
#pragma once
#include <vector>

#include "state.hpp"

namespace twolayer::tool::ode {

/// Q_ii - (2 eta / eta_v) v_i^2 for each student unit i.
std::vector<double> balance(const order_state& s, double eta, double eta_v);

/// Q_perp = Q - R T^-1 R^T.
matrix orthogonal_overlap(const order_state& s);

/// K(t) above (the P* x P* invariant) for uniform v and v*; throws std::logic_error otherwise.
matrix rotation_invariant(const order_state& s, double t, double eta);

}  // namespace twolayer::tool::ode
