// Integration of an autonomous system dx/dt = f(x) with Boost.Odeint's adaptive Dormand-Prince
// 5(4) stepper (runge_kutta_dopri5, error-controlled, with dense output): the steps follow the
// error control, and the state at each requested time is the stepper's 4th-order interpolant,
// so the report times never shorten a step.
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

namespace twolayer::tool::ode {

/// dxdt = f(x) (dxdt has x's size on entry).
using system_fn = std::function<void(const std::vector<double>& x, std::vector<double>& dxdt)>;
/// Called at each requested time with the state there.
using observer_fn = std::function<void(double t, const std::vector<double>& x)>;

/// The error control: a step is accepted when every component's error estimate is below
/// atol + rtol |x|; first_step is the first trial step (the control adapts it at once).
struct integrator_options {
    double rtol = 1e-8;
    double atol = 1e-10;
    double first_step = 1e-3;
    std::size_t max_steps = 100000000;  ///< give up beyond this many accepted steps
};

/// How an integration ended: completed, or stopped at t_stop because the state left the finite
/// numbers or exceeded 1e100 (the flow diverged), or the step budget ran out.
struct integration_result {
    enum class status { done, diverged, step_limit } end = status::done;
    double t_stop = 0;        ///< the last time reached (the last requested time when done)
    std::size_t steps = 0;    ///< accepted steps
};

/// Integrates from times.front() with initial state x, calling observe at every time in `times`
/// (ascending; the first is the start and is observed with x itself). x is left at the stepper's
/// last finite step (at or past times.back() when done). A step whose result is not finite is
/// retried from the last finite state with shorter and shorter steps; when that keeps failing, or
/// a state exceeds 1e100 in magnitude, the flow has diverged.
integration_result integrate_at(const system_fn& f, std::vector<double>& x, const std::vector<double>& times,
                                const integrator_options& options, const observer_fn& observe);

}  // namespace twolayer::tool::ode
