#include "integrate.hpp"

#include <cmath>
#include <stdexcept>

#include <boost/numeric/odeint.hpp>

namespace twolayer::tool::ode {

namespace {

// Consecutive retries of a step that left the finite numbers, each 8 times shorter (8^30 ~ 1e27).
constexpr int max_retries = 30;
// Beyond this magnitude a state has diverged (for order parameters: weights of size 1e50), however
// far it still is from overflowing: a flow blowing up in finite time would otherwise creep up to
// the overflow in ever shorter steps.
constexpr double divergence_bound = 1e100;

bool all_finite(const std::vector<double>& x) {
    for (double e : x)
        if (!std::isfinite(e)) return false;
    return true;
}

bool bounded(const std::vector<double>& x) {
    for (double e : x)
        if (!(std::fabs(e) <= divergence_bound)) return false;
    return true;
}

}  // namespace

integration_result integrate_at(const system_fn& f, std::vector<double>& x, const std::vector<double>& times,
                                const integrator_options& options, const observer_fn& observe) {
    namespace odeint = boost::numeric::odeint;
    using state = std::vector<double>;
    integration_result r;
    if (times.empty()) return r;
    for (std::size_t i = 1; i < times.size(); ++i)
        if (!(times[i] >= times[i - 1])) throw std::logic_error("integrate_at: the times must ascend");
    auto stepper = odeint::make_dense_output(options.atol, options.rtol, odeint::runge_kutta_dopri5<state>());
    auto system = [&f](const state& s, state& ds, double) { f(s, ds); };
    r.t_stop = times.front();
    observe(times.front(), x);
    std::size_t next = 1;
    while (next < times.size() && times[next] <= times.front()) observe(times[next++], x);
    if (next == times.size()) return r;
    stepper.initialize(x, times.front(), options.first_step);
    state at(x.size()), good = x;
    int retries = 0;
    while (next < times.size()) {
        if (r.steps == options.max_steps) {
            r.end = integration_result::status::step_limit;
            break;
        }
        const double t_good = stepper.current_time(), dt = stepper.current_time_step();
        stepper.do_step(system);
        if (!all_finite(stepper.current_state())) {
            // The error estimate of a step that overflowed is NaN, which the control accepts:
            // retry from the last finite state with a much smaller step; only a flow that stays
            // unbounded however small the step has diverged.
            if (++retries > max_retries) {
                r.end = integration_result::status::diverged;
                break;
            }
            stepper.initialize(good, t_good, dt / 8);
            continue;
        }
        retries = 0;
        ++r.steps;
        if (!bounded(stepper.current_state())) {
            r.end = integration_result::status::diverged;
            break;
        }
        good = stepper.current_state();
        r.t_stop = stepper.current_time();
        for (; next < times.size() && times[next] <= stepper.current_time(); ++next) {
            stepper.calc_state(times[next], at);
            observe(times[next], at);
        }
    }
    if (r.end == integration_result::status::done) r.t_stop = times.back();
    x = good;
    return r;
}

}  // namespace twolayer::tool::ode
