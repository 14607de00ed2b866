#include "job.hpp"

#include <cmath>

#include "curve.hpp"
#include "ram.hpp"
#include "record.hpp"

namespace twolayer::tool::sweep {

job_result run_sweep_job(const grid& g, long job, job_progress& progress) {
    const grid_format reference{"double", "double", rounding_mode::nearest, false};
    const train_settings base = g.settings(job, reference);
    const long N = base.model.N, P = base.model.P, seed = g.seed_of(job);
    const std::uint64_t total = g.steps(N), plateau = std::uint64_t(std::llround(g.plateau_t * double(N)));
    const std::vector<std::uint64_t> at = measurement_steps(total, g.reports, plateau);

    std::size_t double_at = g.formats.size();  // none
    for (std::size_t i = 0; i < g.formats.size(); ++i)
        if (g.formats[i].name == "double") double_at = i;
    const std::size_t runs = g.formats.size() + (double_at == g.formats.size() ? 1 : 0);
    std::size_t run = 0;
    const auto progress_of = [&](std::uint64_t done) {
        progress.set((double(run) + double(done) / double(total)) / double(runs));
    };

    // Double first: its final eps_g is every format's threshold.
    std::vector<curve> curves(g.formats.size());
    const curve ref = run_curve(base, seed, at, progress_of);
    ++run;
    if (double_at < curves.size()) curves[double_at] = ref;
    for (std::size_t i = 0; i < g.formats.size(); ++i) {
        if (i == double_at) continue;
        curves[i] = run_curve(g.settings(job, g.formats[i]), seed, at, progress_of);
        ++run;
        if (progress.stopping()) return {};  // another job failed: this result is dropped
    }

    job_result out;
    for (std::size_t i = 0; i < g.formats.size(); ++i) {
        const curve& c = curves[i];
        record r;
        r.teacher = activation_name(base.model.act);
        r.N = N;
        r.P = P;
        r.format = g.formats[i].name;
        r.seed = seed;
        r.eps_g = c.eps_g.back();
        r.steps_to_2x_double = steps_to_reach(c, 2 * ref.eps_g.back());
        r.escape_t = escape_time(c, plateau, g.plateau_fraction, N);
        r.refused_fraction = double(c.refused) / double(total);
        r.ram_bytes = double(ram_bytes(g.formats[i], std::uint64_t(N), std::uint64_t(P)));
        r.steps = double(total);
        r.ns_per_step = 1e9 * c.step_seconds / double(total);
        out.rows += to_row(r);
    }
    return out;
}

}  // namespace twolayer::tool::sweep
