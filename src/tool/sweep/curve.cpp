#include "curve.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>

#include "../sim/chain.hpp"
#include "../sim/eps_g.hpp"
#include "../sim/initial_weights.hpp"
#include "../sim/teacher.hpp"

namespace twolayer::tool::sweep {

namespace {
// Steps per advance() between progress reports (as train's).
constexpr std::uint64_t chunk = 8192;
constexpr double never = std::numeric_limits<double>::infinity();
}  // namespace

curve run_curve(const train_settings& s, long seed, const std::vector<std::uint64_t>& at,
                const std::function<void(std::uint64_t)>& after_steps) {
    const initial_weights start = draw_initial_weights(s.model, seed);
    teacher_network teacher(start, s.model.teacher_act);
    const std::unique_ptr<chain> c = make_chain({s, seed, start, teacher});
    eps_g_meter meter(s, seed, start, teacher);
    curve out;
    std::uint64_t done = 0;
    for (const std::uint64_t next : at) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::uint64_t from = done;
        const advance_result r = advance_in_chunks(*c, next - done, chunk, [&](std::uint64_t d) { after_steps(from + d); });
        out.step_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        // skip_refused: a refused step never ends the chain; anything else is a bug here.
        if (r.status != step_status::ok) throw std::logic_error("run_curve: a chain stopped although it skips refused steps");
        done += r.done;
        out.refused += r.refused;
        out.steps.push_back(done);
        out.eps_g.push_back(meter.measure(*c).value);
    }
    return out;
}

std::vector<std::uint64_t> measurement_steps(std::uint64_t total, long reports, std::uint64_t plateau_step) {
    std::vector<std::uint64_t> at = report_steps(total, reports);
    at.push_back(plateau_step);
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
    return at;
}

double steps_to_reach(const curve& c, double threshold) {
    for (std::size_t i = 0; i < c.steps.size(); ++i)
        if (c.eps_g[i] <= threshold) return double(c.steps[i]);
    return never;
}

double escape_time(const curve& c, std::uint64_t plateau_step, double fraction, long N) {
    const auto p = std::find(c.steps.begin(), c.steps.end(), plateau_step);
    if (p == c.steps.end()) throw std::logic_error("escape_time: the plateau step was not measured");
    const std::size_t i0 = std::size_t(p - c.steps.begin());
    const double limit = fraction * c.eps_g[i0];
    for (std::size_t i = i0 + 1; i < c.steps.size(); ++i)
        if (c.eps_g[i] < limit) return double(c.steps[i]) / double(N);
    return never;
}

}  // namespace twolayer::tool::sweep
