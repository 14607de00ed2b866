// The right-hand sides of the order-parameter ODEs, matched to the library's online SGD
// (train/online_sgd.hpp, lr_scaling::teacher_student) run with the same rates: per step
//   W <- d_w W + (eta / sqrt N) (y - yhat) diag(v g'(lambda)) 1 x^T,   d_w = 1 - eta wd,
//   v <- d_v v + (eta_v / N) (y - yhat) g(lambda),                      d_v = 1 - eta_v wd / N,
// y = y* + sigma xi, and time t = steps / N. Each rate is N times the expected change of one step.
// The gradient part splits into a drift (first order in the rates) and the second-order term
// of W's update (eta^2: the squared step's mean, which --drift-only drops); the weight decay acts
// on top of them exactly as the library applies it (combine()).
#pragma once
#include <vector>

#include "state.hpp"

namespace twolayer::tool::ode {

/// The activation of student and teacher (the same for both) whose ODEs are known in closed form.
enum class flow_kind { erf, quadratic };

/// The learning rule, as `twolayer train` runs it.
struct ode_params {
    double eta = 0.5;           ///< first-layer rate (--lr)
    double eta_v = 0.5;         ///< second-layer rate (--lr-v)
    double sigma = 0;           ///< label noise standard deviation (--noise)
    double weight_decay = 0;    ///< l2 coefficient on both layers (--weight-decay)
    double N = 1000;            ///< input dimension: the library's decay acts per step, so it enters
                                ///< the rates with N (and only the decay does)
    bool train_v = false;       ///< the second layer trains (--train-v)
    bool drift_only = false;    ///< drop the eta^2 term (--drift-only)
};

/// The parts of the rates before the weight decay: drift_Q and drift_R first order in eta,
/// second_Q the eta^2 term of Q, drift_v the second layer's rate (P values, used when it trains).
struct flow_terms {
    matrix drift_Q, second_Q, drift_R;
    std::vector<double> drift_v;
};

/// The rates dQ/dt, dR/dt, dv/dt (dv empty when the second layer is fixed).
struct rates {
    matrix dQ, dR;
    std::vector<double> dv;
};

/// erf student against an erf teacher (erf_flow.cpp).
flow_terms erf_terms(const order_state& s, const ode_params& p);
/// Quadratic student against a quadratic teacher (quadratic_flow.cpp).
flow_terms quadratic_terms(const order_state& s, const ode_params& p);

/// The moments of Delta = yhat - y* of quadratic networks: E[Delta] and E[Delta^2] (no noise).
struct quadratic_moments {
    double mean, second;
};
/// E[Delta] = tr(A Q) - tr(A* T), E[Delta^2] = E[Delta]^2 + 2 [tr(AQAQ) - 2 tr(A R A* R^T) + tr(A* T A* T)].
quadratic_moments quadratic_error_moments(const order_state& s);

/// The rates from the terms, with the weight decay as the library applies it:
///   dQ/dt = N (d_w^2 - 1) Q + d_w drift_Q + second_Q,  dR/dt = N (d_w - 1) R + d_w drift_R,
///   dv/dt = -eta_v wd v + d_v drift_v;
/// second_Q is left out under drift_only (and the decay's own d_w^2 is kept: it is not noise).
rates combine(const flow_terms& f, const order_state& s, const ode_params& p);

/// The rates of `kind` at s.
rates flow_rates(flow_kind kind, const order_state& s, const ode_params& p);

}  // namespace twolayer::tool::ode
