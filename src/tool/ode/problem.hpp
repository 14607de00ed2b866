// From the command line to an ODE problem: which flow, the learning rule, and the initial order
// parameters of the very weights `twolayer train --seed S` starts a chain from.
#pragma once
#include "../common_options.hpp"
#include "../sim/initial_weights.hpp"
#include "solve.hpp"

namespace twolayer::tool::ode {

/// The order state of w: Q, R, T (order_parameters_of) and the second layers.
order_state order_state_of(const initial_weights& w);

/// The learning rule of the options: eta = --lr, eta_v = --lr-v, sigma = --noise,
/// wd = --weight-decay, N = --N, --train-v (resolve() must have run).
ode_params params_of(const model_options& m, const training_options& t, bool drift_only);

/// Throws usage_error when the ODEs do not cover the options: --act other than erf or quadratic,
/// or a --teacher-act that differs from --act.
void check_activations(const model_options& m);

/// The problem for the options, from the initial weights of job `chain` (draw_initial_weights,
/// as `train` draws them for that chain), after check_activations.
ode_problem problem_from_options(const model_options& m, const training_options& t, bool drift_only, long chain = 0);

/// The same from given initial weights (--init-from); m's sizes are replaced by the weights'.
ode_problem problem_from_weights(const initial_weights& w, model_options m, const training_options& t, bool drift_only);

}  // namespace twolayer::tool::ode
