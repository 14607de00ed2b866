// `twolayer ode`: integrates the order-parameter ODEs of online SGD (erf or quadratic, student and
// teacher alike) from the order parameters of the initial weights `train --seed S` draws for chain
// 0, and writes the learning curve in train's CSV columns, so the two overlay run for run.
// Exit codes: 0 done; 1 the flow diverged or ran out of steps (the rows up to there are kept);
// 2 bad input.
#include <chrono>
#include <cstdio>
#include <iostream>

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
    ode::integrator_options integrator;
    std::string out;
    std::string init_from;  ///< a directory of W.npy, v.npy, W_star.npy, v_star.npy
};

// The problem: from --init-from's weights, or from the weights train draws for chain 0.
ode::ode_problem problem_of(CLI::App& app, const ode_command_options& o) {
    if (o.init_from.empty()) return ode::problem_from_options(o.model, o.training, o.drift_only);
    ode::check_activations(o.model);
    const initial_weights w = ode::read_initial_weights(o.init_from);
    ode::check_sizes_agree(w, o.model, app.count("--N") > 0, app.count("--P") > 0, app.count("--P-star") > 0);
    return ode::problem_from_weights(w, o.model, o.training, o.drift_only);
}

// The CSV to --out (atomically) or to standard output.
void write_output(const ode_command_options& o, const ode::ode_solution& s) {
    if (o.out.empty()) {
        ode::write_csv(std::cout, s, o.order_columns, o.model.train_v);
        std::cout.flush();
        return;
    }
    atomic_file f(o.out, "--out");
    ode::write_csv(f.stream(), s, o.order_columns, o.model.train_v);
    f.commit();
}

int run_ode(CLI::App& app, ode_command_options& o) {
    resolve(app, o.model, o.training);
    const ode::ode_problem problem = problem_of(app, o);
    if (!(o.training.t_max * problem.params.N >= 0.5))
        throw usage_error("--t-max", CLI::detail::to_string(o.training.t_max),
                          "less than one step at N = " + std::to_string(long(problem.params.N)) + " (t counts steps / N)");
    const std::vector<double> times = ode::report_times(o.training.t_max, long(problem.params.N), o.reports);
    const auto start = std::chrono::steady_clock::now();
    const ode::ode_solution s = ode::solve(problem, times, o.integrator);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    write_output(o, s);
    if (o.stats)
        std::fprintf(stderr, "twolayer ode: %zu accepted steps to t = %g in %.3f s\n", s.result.steps, s.result.t_stop,
                     took.count());
    if (s.result.end == ode::integration_result::status::done) return 0;
    const char* why = s.result.end == ode::integration_result::status::diverged
                          ? "the flow diverged (order parameters beyond 1e100 or not finite)"
                          : "the step budget ran out (a stiff flow? loosen --rtol/--atol)";
    std::fprintf(stderr, "twolayer ode: %s at t = %g after %zu steps; the reports up to there are written\n", why,
                 s.result.t_stop, s.result.steps);
    return 1;
}

command_main setup_ode(CLI::App& sub) {
    auto o = std::make_shared<ode_command_options>();
    add_model_options(sub, o->model);
    add_training_options(sub, o->training);
    sub.add_flag("--drift-only", o->drift_only, "drop the eta^2 terms (I4, J2; quadratic: C Y C)");
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
