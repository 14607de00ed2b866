#include "integrate.hpp"

#include <cmath>
#include <stdexcept>

#include <boost/numeric/odeint.hpp>

namespace twolayer::tool::ode {

namespace {

bool all_finite(const std::vector<double>& x) {
    for (double e : x)
        if (!std::isfinite(e)) return false;
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
    state at(x.size());
    while (next < times.size()) {
        if (r.steps == options.max_steps) {
            r.end = integration_result::status::step_limit;
            break;
        }
        stepper.do_step(system);
        ++r.steps;
        if (!all_finite(stepper.current_state())) {
            r.end = integration_result::status::diverged;
            break;
        }
        r.t_stop = stepper.current_time();
        for (; next < times.size() && times[next] <= stepper.current_time(); ++next) {
            stepper.calc_state(times[next], at);
            observe(times[next], at);
        }
    }
    if (r.end == integration_result::status::done) r.t_stop = times.back();
    x = stepper.current_state();
    return r;
}

}  // namespace twolayer::tool::ode
