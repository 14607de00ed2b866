#include "solve.hpp"

#include <cmath>
#include <cstdint>

#include "eps_g.hpp"
#include "../sim/settings.hpp"

namespace twolayer::tool::ode {

namespace {

state_layout layout_of(const ode_problem& p) { return {p.initial.P(), p.initial.P_star(), p.params.train_v}; }

// The rates packed as the state is: the upper triangle of dQ, dR, dv.
void pack_rates(const rates& r, const state_layout& layout, std::vector<double>& dx) {
    std::size_t at = 0;
    for (long i = 0; i < layout.P; ++i)
        for (long k = i; k < layout.P; ++k) dx[at++] = r.dQ(i, k);
    for (double e : r.dR.a) dx[at++] = e;
    if (layout.train_v)
        for (double e : r.dv) dx[at++] = e;
}

}  // namespace

system_fn make_system(const ode_problem& problem) {
    const state_layout layout = layout_of(problem);
    order_state scratch = problem.initial;  // T, v* (and a fixed v) come from here
    return [layout, scratch, kind = problem.kind, params = problem.params](const std::vector<double>& x,
                                                                          std::vector<double>& dx) mutable {
        layout.unpack(x, scratch);
        pack_rates(flow_rates(kind, scratch, params), layout, dx);
    };
}

ode_solution solve(const ode_problem& problem, const std::vector<double>& times, const integrator_options& options) {
    const state_layout layout = layout_of(problem);
    std::vector<double> x;
    layout.pack(problem.initial, x);
    ode_solution out;
    out.reports.reserve(times.size());
    order_state s = problem.initial;
    auto observe = [&](double t, const std::vector<double>& at) {
        layout.unpack(at, s);
        out.reports.push_back({t, eps_g(problem.kind, s), s});
    };
    out.result = integrate_at(make_system(problem), x, times, options, observe);
    return out;
}

std::vector<double> report_times(double t_max, long N, long reports) {
    // train's own report steps (sim/settings.hpp), so the two CSVs share every t
    const std::uint64_t total = std::uint64_t(std::llround(t_max * double(N)));
    std::vector<double> t;
    for (std::uint64_t st : report_steps(total, reports)) t.push_back(double(st) / double(N));
    return t;
}

}  // namespace twolayer::tool::ode
