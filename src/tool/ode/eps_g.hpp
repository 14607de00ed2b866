// The generalization error eps_g = 0.5 E[(yhat - y*)^2] (no label noise) in closed form from the
// order parameters, for the activations the ODEs integrate.
#pragma once
#include "flow.hpp"

namespace twolayer::tool::ode {

/// erf: 0.5 sum_ab u_a u_b I2(a, b) over the fields, u = (-v, v*): the student-student,
/// teacher-teacher and (twice, negative) student-teacher sums.
double eps_g_erf(const order_state& s);
/// quadratic: 0.5 E[Delta^2] (quadratic_error_moments).
double eps_g_quadratic(const order_state& s);
/// The one of `kind`.
double eps_g(flow_kind kind, const order_state& s);

}  // namespace twolayer::tool::ode
