// `twolayer sweep`: precision x width trade-offs. Every (teacher, N, format, P) of a grid trained
// by online SGD from the same starts for several seeds; per run the final eps_g, the steps to
// reach twice double's final eps_g, the plateau escape time, the refused fraction, the training
// RAM and host ns per step; per configuration their median, min and max; one CSV and a Markdown
// table. --shard i/n runs a part, --merge joins the parts. The work is in src/tool/sweep/.
// Exit codes: 0 done; 2 bad input.
#include <cmath>
#include <memory>

#include <CLI/CLI.hpp>

#include "../command.hpp"
#include "../common_options.hpp"
#include "../research/grids.hpp"
#include "../sweep/run.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {
namespace {

struct sweep_options {
    sweep::grid g;
    std::string teachers = "erf,relu", ns = "64,256", widths = "1,2,3,4,8,16,32";
    std::string formats = "double,float,f16,f16+master,bf16,bf16+sr,bf16+master,bf16/double,q4_27,q3_12,q3_12+sr,q3_12+master,q3_12/double";
    std::string shard = "0/1";
    std::vector<std::string> merge;
    sweep::output_options o;
};

// The options that describe the grid: with --merge the grid comes from the shards instead.
const char* const grid_options[] = {"--teachers", "--N",       "--formats", "--widths",     "--seeds",
                                    "--seed",     "--t-max",   "--lr",      "--init-scale", "--reports",
                                    "--plateau-t", "--plateau-fraction", "--shard"};

void check_positive(double x, const char* option) {
    if (!std::isfinite(x) || x <= 0) throw usage_error(option, std::to_string(x), "must be a number > 0");
}

int run(CLI::App& app, sweep_options& s) {
    if (!s.merge.empty()) {
        for (const char* name : grid_options)
            if (app.count(name)) throw usage_error(name, "", "not with --merge (the grid comes from the shards' first lines)");
        return sweep::merge_shards(s.merge, s.o);
    }
    sweep::grid& g = s.g;
    g.teachers = sweep::parse_teachers(s.teachers, "--teachers");
    g.Ns = research::parse_int_list(s.ns, "--N", 1, 10000);
    g.formats = sweep::parse_formats(s.formats, "--formats");
    g.widths = research::parse_int_list(s.widths, "--widths", 1, 10000);
    check_positive(g.lr, "--lr");
    check_positive(g.t_max, "--t-max");
    check_positive(g.plateau_t, "--plateau-t");
    if (!(g.plateau_fraction > 0 && g.plateau_fraction < 1))
        throw usage_error("--plateau-fraction", std::to_string(g.plateau_fraction), "must be in (0, 1)");
    return sweep::run_sweep(g, sweep::parse_shard(s.shard, "--shard"), s.o);
}

command_main setup_sweep(CLI::App& sub) {
    auto s = std::make_shared<sweep_options>();
    sweep::grid& g = s->g;
    sub.add_option("--teachers", s->teachers, "teacher (and student) activations: erf,relu,quadratic,linear")->capture_default_str();
    sub.add_option("--N", s->ns, "input dimensions, increasing")->capture_default_str();
    sub.add_option("--formats", s->formats, "formats of train, +sr (stochastic rounding) or +master on narrow ones")->capture_default_str();
    sub.add_option("--widths", s->widths, "student hidden units P, increasing (the teacher has P* = 2)")->capture_default_str();
    sub.add_option("--seeds", g.seeds, "seeds per configuration (train's chains 0 .. seeds-1)")->check(CLI::Range(1L, 10000L))->capture_default_str();
    sub.add_option("--seed", g.seed, "base seed")->capture_default_str();
    sub.add_option("--t-max", g.t_max, "duration in steps / N")->check(CLI::Range(1e-6, 1e9))->capture_default_str();
    sub.add_option("--lr", g.lr, "learning rate of both layers (train's teacher-student scaling)")->capture_default_str();
    sub.add_option("--init-scale", g.init_scale, "standard deviation of the student's first-layer weights")->check(CLI::Range(0.0, 100.0))->capture_default_str();
    sub.add_option("--reports", g.reports, "log-spaced eps_g measurements per run")->check(CLI::Range(2L, 100000L))->capture_default_str();
    sub.add_option("--plateau-t", g.plateau_t, "the time t whose eps_g is the plateau value")->capture_default_str();
    sub.add_option("--plateau-fraction", g.plateau_fraction, "escape: the first time eps_g is below this fraction of the plateau value")->capture_default_str();
    sub.add_option("--shard", s->shard, "run shard i of n only (job j in shard j mod n): a partial CSV for --merge")->capture_default_str();
    sub.add_option("--merge", s->merge, "merge these shard CSVs into the CSV of the whole grid")->expected(1, -1);
    sub.add_option("--markdown", s->o.markdown, "also write the Markdown table to this file ('-': standard output)");
    add_job_output_options(sub, s->o.threads, s->o.out, s->o.quiet);
    return [&sub, s] { return run(sub, *s); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("sweep",
                      "precision x width trade-offs: every format and student width on teacher-student tasks, "
                      "final error, time to 2x double's error, plateau escape, refused steps, RAM",
                      setup_sweep);

}  // namespace twolayer::tool
