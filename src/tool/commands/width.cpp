// `twolayer width`: how much width makes GD find the global minimum. Default: full-batch GD with
// l2 weight decay on both layers of a ReLU network on orthogonal data x_i = sqrt(n) e_i, labels
// +-1, per width and restart; each run's final penalized loss against the closed-form global
// minimum (docs/TOOL.md derives it). --subquadratic: per n, the smallest width of the grid whose
// full-batch GD fits n random labels below a training loss threshold. The work is in
// src/tool/research/width.cpp; here: options, output and the summary.
// Exit codes: 0 done; 1 a step was refused (the run's row is still written); 2 bad input.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "../atomic_file.hpp"
#include "../command.hpp"
#include "../common_options.hpp"
#include "../job_output.hpp"
#include "../job_runner.hpp"
#include "../research/grids.hpp"
#include "../research/width.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {
namespace {

struct width_options {
    research::width_settings s;
    std::string widths = "8,32,128,512", ns = "8,16,32,64";
    long threads = 0;
    std::string out;
    bool quiet = false;
};

void check_number(double x, const char* option, bool zero_ok) {
    if (!std::isfinite(x) || x < 0 || (!zero_ok && x == 0))
        throw usage_error(option, std::to_string(x), zero_ok ? "must be a number >= 0" : "must be a number > 0");
}

void check_options(width_options& o) {
    research::width_settings& s = o.s;
    s.widths = research::parse_int_list(o.widths, "--widths", 1, 100000);
    s.ns = research::parse_int_list(o.ns, "--ns", 1, 1000000);
    check_number(s.lambda, "--lambda", false);
    check_number(s.init_scale, "--init-scale", true);
    check_number(s.lr, "--lr", false);
    check_number(s.tol, "--tol", false);
    check_number(s.threshold, "--threshold", false);
    const double size = s.subquadratic ? double(s.ns.back()) * double(s.d) + double(s.widths.back()) * double(s.d)
                                       : double(s.widths.back()) * double(s.n);
    if (size > 1e8) throw usage_error(s.subquadratic ? "--ns" : "--widths", s.subquadratic ? o.ns : o.widths, "the largest network or dataset would need more than 800 MB");
}

// One line per width (orthogonal) or per n (subquadratic), from the rows.
void print_summary(const width_options& o, const std::vector<job_result>& results, std::FILE* to) {
    const research::width_settings& s = o.s;
    const std::size_t groups = s.subquadratic ? s.ns.size() : s.widths.size();
    for (std::size_t g = 0; g < groups; ++g) {
        long hits = 0, count = 0;
        std::vector<double> needed;
        for (long r = 0; r < s.restarts; ++r) {
            const std::string& row = results[g * std::size_t(s.restarts) + std::size_t(r)].rows;
            std::vector<std::string> f;
            std::stringstream fields(row.substr(0, row.find('\n')));
            for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
            ++count;
            if (s.subquadratic) needed.push_back(f.size() == 3 && !f[2].empty() ? std::strtod(f[2].c_str(), nullptr) : NAN);
            else if (f.size() == 5 && f[4] == "1") ++hits;
        }
        if (s.subquadratic) {
            long found = 0;
            for (double x : needed) found += std::isfinite(x) ? 1 : 0;
            if (found == 0)  // not "median width needed nan"
                std::fprintf(to, "twolayer width: n %ld: no width of the grid reached loss < %g (0 of %ld restarts on widths %s)\n",
                             s.ns[g], s.threshold, count, o.widths.c_str());
            else
                std::fprintf(to, "twolayer width: n %ld: median width needed %g (%ld of %ld restarts reached loss < %g on widths %s)\n",
                             s.ns[g], research::median_of_finite(needed), found, count, s.threshold, o.widths.c_str());
        } else {
            std::fprintf(to, "twolayer width: width %ld: %ld of %ld restarts (%.3f) reached the global minimum %.10g\n", s.widths[g],
                         hits, count, double(hits) / double(count),
                         research::orthogonal_optimum(s.n, research::orthogonal_positives(s.n), s.lambda));
        }
    }
}

int run_width(width_options& o) {
    check_options(o);
    std::optional<atomic_file> file;
    if (!o.out.empty() && is_writer()) file.emplace(o.out, "--out");
    runner_options ro;
    ro.threads = o.threads;
    ro.quiet = o.quiet;
    ro.label = "width";
    const research::width_settings& s = o.s;
    const std::vector<job_result> results =
        run_jobs(s.jobs(), [&](long j, job_progress& p) { return research::run_width_job(s, j, p); }, ro);
    if (!is_writer()) return 0;
    const char* header = s.subquadratic ? "n,restart,width_needed\n" : "width,restart,loss,optimum,global\n";
    const int code = write_job_rows(file, header, results, "width");
    print_summary(o, results, file ? stdout : stderr);  // the CSV may be on stdout
    return code;
}

command_main setup_width(CLI::App& sub) {
    auto o = std::make_shared<width_options>();
    research::width_settings& s = o->s;
    sub.add_option("--n", s.n, "orthogonal points x_i = sqrt(n) e_i (N = n; labels +1 for even i, -1 for odd)")
        ->check(CLI::Range(1L, 100000L))
        ->capture_default_str();
    sub.add_option("--lambda", s.lambda, "weight decay: the loss is mean (f - y)^2 / 2 + lambda (|W|^2 + |v|^2) / 2")->capture_default_str();
    sub.add_option("--widths", o->widths, "the widths m, increasing")->capture_default_str();
    sub.add_option("--init-scale", s.init_scale, "standard deviation of the W and v entries (orthogonal data)")->capture_default_str();
    sub.add_option("--restarts", s.restarts, "runs per width (per n with --subquadratic)")->check(CLI::Range(1L, 1000000L))->capture_default_str();
    sub.add_option("--lr", s.lr, "GD rate (both layers; --subquadratic: W, and lr / m for v)")->capture_default_str();
    sub.add_option("--steps", s.steps, "GD steps per run (at most, with --subquadratic)")->check(CLI::Range(1L, 1000000000L))->capture_default_str();
    sub.add_option("--tol", s.tol, "a final loss within this relative distance of the optimum counts as global")->capture_default_str();
    sub.add_flag("--subquadratic", s.subquadratic, "the width needed to fit n random labels, per n of --ns");
    sub.add_option("--ns", o->ns, "with --subquadratic: the sample counts n, increasing")->capture_default_str();
    sub.add_option("--d", s.d, "with --subquadratic: input dimension (x ~ N(0, I_d))")->check(CLI::Range(1L, 100000L))->capture_default_str();
    sub.add_option("--threshold", s.threshold, "with --subquadratic: the training loss mean (f - y)^2 / 2 to reach")->capture_default_str();
    sub.add_option("--seed", s.seed, "base seed; job j draws from streams of (seed, j) only")->capture_default_str();
    add_job_output_options(sub, o->threads, o->out, o->quiet);
    return [o] { return run_width(*o); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("width",
                      "weight decay and width: the fraction of GD runs reaching the closed-form global minimum on "
                      "orthogonal data, per width; or the width needed to fit n random labels",
                      setup_width);

}  // namespace twolayer::tool
