// One run of the sweep: a chain of `train` (sim/) from one start in one format, its eps_g
// measured at given steps, its refused steps counted and its stepping timed; and the figures read
// off such a curve (steps to a threshold, the plateau escape time).
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "../sim/settings.hpp"

namespace twolayer::tool::sweep {

/// A learning curve: eps_g at steps[i] (steps[0] = 0, the last = the run's total), the refused
/// steps, and the wall time spent stepping (not measuring).
struct curve {
    std::vector<std::uint64_t> steps;
    std::vector<double> eps_g;
    std::uint64_t refused = 0;
    double step_seconds = 0;
};

/// Runs settings s (online SGD, skip_refused) for seed index `seed` (train's job index: its
/// initial weights and streams) and measures eps_g at each of `at` (ascending, from 0; the last is
/// the total). after_steps(d) is called with the steps done so far (progress).
curve run_curve(const train_settings& s, long seed, const std::vector<std::uint64_t>& at,
                const std::function<void(std::uint64_t)>& after_steps);

/// The measurement steps of a run of `total` steps: train's report_steps(total, reports) and the
/// plateau step, ascending, each once.
std::vector<std::uint64_t> measurement_steps(std::uint64_t total, long reports, std::uint64_t plateau_step);

/// The first measured step whose eps_g is at most `threshold`; +inf ("never") when none is.
double steps_to_reach(const curve& c, double threshold);

/// The plateau escape time in t = steps / N: the first measured step after plateau_step whose eps_g
/// is below fraction * eps_g(plateau_step), divided by N; +inf ("never") when none is.
double escape_time(const curve& c, std::uint64_t plateau_step, double fraction, long N);

}  // namespace twolayer::tool::sweep
