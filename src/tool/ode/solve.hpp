// One ODE run from start to finish: the flow of an activation, its parameters and initial state,
// integrated to the report times, with eps_g and the order parameters at each.
#pragma once
#include <vector>

#include "flow.hpp"
#include "integrate.hpp"

namespace twolayer::tool::ode {

/// What to integrate.
struct ode_problem {
    flow_kind kind = flow_kind::erf;
    ode_params params;
    order_state initial;
};

/// The state at one report time.
struct ode_report {
    double t = 0;
    double eps_g = 0;
    order_state state;
};

/// The reports (up to where the integration stopped) and how it ended.
struct ode_solution {
    std::vector<ode_report> reports;
    integration_result result;
};

/// The flat system odeint steps for a problem: dx/dt from the packed state (state_layout).
system_fn make_system(const ode_problem& problem);

/// Integrates `problem` from times.front() = 0 to times.back(), reporting at every time.
ode_solution solve(const ode_problem& problem, const std::vector<double>& times, const integrator_options& options);

/// The report times of `twolayer train` for the same run (its `report_steps`, divided by N), so
/// the two CSVs share their t column.
std::vector<double> report_times(double t_max, long N, long reports);

}  // namespace twolayer::tool::ode
