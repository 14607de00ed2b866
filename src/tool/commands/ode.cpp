// `twolayer ode`: integrates the order-parameter ODEs of online SGD (erf or quadratic, student and
// teacher alike) from the order parameters of the initial weights `train --seed S` draws for chain
// 0, and writes the learning curve in train's CSV columns, so the two overlay run for run.
// Exit codes: 0 done; 1 the flow diverged or ran out of steps (the rows up to there are kept);
// 2 bad input.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <vector>

#include <CLI/CLI.hpp>

#include "../atomic_file.hpp"
#include "../command.hpp"
#include "../common_options.hpp"
#include "../ode/csv.hpp"
#include "../ode/init_from.hpp"
#include "../ode/problem.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {
namespace {

struct ode_command_options {
    model_options model;
    training_options training;
    bool drift_only = false;
    bool order_columns = false;
    bool stats = false;
    long reports = 50;
    long chains = 1;
    ode::integrator_options integrator;
    std::string out;
    std::string init_from;  ///< a directory of W.npy, v.npy, W_star.npy, v_star.npy
};

// The problem of chain j: from --init-from's weights, or from the weights train draws for chain j.
ode::ode_problem problem_of(CLI::App& app, const ode_command_options& o, long chain) {
    if (o.init_from.empty()) return ode::problem_from_options(o.model, o.training, o.drift_only, chain);
    ode::check_activations(o.model);
    const initial_weights w = ode::read_initial_weights(o.init_from);
    ode::check_sizes_agree(w, o.model, app.count("--N") > 0, app.count("--P") > 0, app.count("--P-star") > 0);
    return ode::problem_from_weights(w, o.model, o.training, o.drift_only);
}

// The CSV to --out (atomically) or to standard output.
void write_output(const ode_command_options& o, const std::vector<ode::ode_solution>& s) {
    if (o.out.empty()) {
        ode::write_csv(std::cout, s, o.order_columns, o.model.train_v);
        std::cout.flush();
        return;
    }
    atomic_file f(o.out, "--out");
    ode::write_csv(f.stream(), s, o.order_columns, o.model.train_v);
    f.commit();
}

// One line on stderr for a chain whose integration stopped early; false if it did.
bool report_early_stop(long chain, const ode::integration_result& r) {
    if (r.end == ode::integration_result::status::done) return false;
    const char* why = r.end == ode::integration_result::status::diverged
                          ? "the flow diverged (order parameters beyond 1e100 or not finite)"
                          : "the step budget ran out (a stiff flow? loosen --rtol/--atol)";
    std::fprintf(stderr, "twolayer ode: chain %ld: %s at t = %g after %zu steps; the reports up to there are written\n",
                 chain, why, r.t_stop, r.steps);
    return true;
}

int run_ode(CLI::App& app, ode_command_options& o) {
    resolve(app, o.model, o.training);
    if (!o.init_from.empty() && o.chains != 1)
        throw usage_error("--chains", std::to_string(o.chains), "--init-from gives one initial state: one chain");
    std::vector<ode::ode_problem> problems;
    for (long j = 0; j < o.chains; ++j) problems.push_back(problem_of(app, o, j));
    const long N = long(problems.front().params.N);
    if (!(o.training.t_max * double(N) >= 0.5))
        throw usage_error("--t-max", CLI::detail::to_string(o.training.t_max),
                          "less than one step at N = " + std::to_string(N) + " (t counts steps / N)");
    const std::vector<double> times = ode::report_times(o.training.t_max, N, o.reports);
    std::vector<ode::ode_solution> solutions;
    int status = 0;
    for (long j = 0; j < o.chains; ++j) {
        const auto start = std::chrono::steady_clock::now();
        solutions.push_back(ode::solve(problems[std::size_t(j)], times, o.integrator));
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        const ode::integration_result& r = solutions.back().result;
        if (o.stats)
            std::fprintf(stderr, "twolayer ode: chain %ld: %zu accepted steps to t = %g in %.3f s\n", j, r.steps,
                         r.t_stop, took.count());
        if (report_early_stop(j, r)) status = 1;
    }
    write_output(o, solutions);
    return status;
}

command_main setup_ode(CLI::App& sub) {
    auto o = std::make_shared<ode_command_options>();
    add_model_options(sub, o->model);
    add_training_options(sub, o->training);
    sub.add_flag("--drift-only", o->drift_only, "drop the eta^2 terms (I4, J2; quadratic: C Y C)");
    sub.add_option("--chains", o->chains,
                   "chains 0 .. C-1, each from the initial weights train draws for that chain (as train's --chains)")
        ->check(CLI::Range(1L, 100000L))
        ->capture_default_str();
    sub.add_flag("--stats", o->stats, "print the accepted steps and the integration time to stderr");
    sub.add_flag("--order", o->order_columns, "add the columns Q_i_k (i <= k), R_i_n and v_i (when trained)");
    sub.add_option("--reports", o->reports, "log-spaced report times up to --t-max (plus t = 0), as train's")
        ->check(CLI::Range(1L, 1000000L))
        ->capture_default_str();
    sub.add_option("--rtol", o->integrator.rtol, "relative tolerance of the adaptive Dormand-Prince steps")
        ->check(CLI::Range(1e-15, 1.0))
        ->capture_default_str();
    sub.add_option("--atol", o->integrator.atol, "absolute tolerance of the adaptive Dormand-Prince steps")
        ->check(CLI::Range(1e-300, 1.0))
        ->capture_default_str();
    sub.add_option("--out", o->out, "CSV file to write (default: standard output)");
    sub.add_option("--init-from", o->init_from,
                   "start from the weights in DIR (W.npy, v.npy, W_star.npy, v_star.npy, as train --save-weights "
                   "writes them) instead of drawing them from --seed; the sizes are the files'");
    return [&sub, o] { return run_ode(sub, *o); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("ode", "integrate the order-parameter ODEs of online SGD (erf, quadratic) from train's initial weights",
                      setup_ode);

}  // namespace twolayer::tool
