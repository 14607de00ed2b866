// `twolayer population`: exact population gradient descent (no samples) of a student against a
// teacher of the same activation, many random restarts through the job runner, each end point
// classified as a global minimum, a spurious minimum or a saddle from its loss and the extreme
// eigenvalues of the population Hessian. One CSV row per restart, the fractions on stdout.
// Exit codes: 0 done; 1 a restart diverged (its row says so, the others are written); 2 bad input.
#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "../atomic_file.hpp"
#include "../command.hpp"
#include "../common_options.hpp"
#include "../job_output.hpp"
#include "../job_runner.hpp"
#include "../ode/init_from.hpp"
#include "../population/descent.hpp"
#include "../sim/initial_weights.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {
namespace {

struct population_options {
    model_options model;
    population_gd::settings gd;
    training_options unused;  ///< resolve() wants one; population has no learning-rule options of train's
    std::string teacher = "orthonormal";
    long restarts = 100;
    run_options run;
    std::string init_from;
    std::string eigenvalues;  ///< --eigenvalues: every Hessian eigenvalue of the one restart's end
};

const char* const csv_header = "restart,loss,min_eig,max_eig,class,steps,grad_norm,hessian_error\n";

// Restart j's weights: the student train draws for chain j (N(0, init_scale^2) entries, v as
// --second-layer says); the teacher either train's Gaussian one or orthonormal rows sqrt(N) e_n
// (T = I), v* = 1.
initial_weights start_of(const population_options& o, long j) {
    if (!o.init_from.empty()) return ode::read_initial_weights(o.init_from);
    initial_weights w = draw_initial_weights(o.model, j);
    if (o.teacher == "orthonormal") {
        std::fill(w.W_star.begin(), w.W_star.end(), 0.0);
        for (long n = 0; n < w.P_star; ++n) w.W_star[std::size_t(n * w.N + n)] = std::sqrt(double(w.N));
        std::fill(w.v_star.begin(), w.v_star.end(), 1.0);
    }
    return w;
}

std::string csv_row(long j, const population_gd::outcome& r) {
    char line[320];
    std::snprintf(line, sizeof line, "%ld,%.17g,%.17g,%.17g,%s,%ld,%.17g,%.17g\n", j, r.loss, r.min_eig, r.max_eig,
                  population_gd::name_of(r.cls), r.steps, r.grad_norm, r.hessian_error);
    return line;
}

void check_options(CLI::App& app, population_options& o) {
    resolve(app, o.model, o.unused);
    if (o.model.teacher_act != o.model.act)
        throw usage_error("--teacher-act", activation_name(o.model.teacher_act),
                          "the population loss needs the teacher's activation equal to --act");
    if (o.model.act != activation_id::relu && o.model.act != activation_id::erf &&
        o.model.act != activation_id::quadratic && o.model.act != activation_id::linear)
        throw usage_error("--act", activation_name(o.model.act),
                          "the population loss has a closed form for relu, erf, quadratic and linear units only");
    if (app.count("--N") == 0) o.model.N = o.model.P_star;
    if (o.teacher == "orthonormal" && o.model.N < o.model.P_star)
        throw usage_error("--N", std::to_string(o.model.N),
                          "an orthonormal teacher needs N >= --P-star (" + std::to_string(o.model.P_star) + ")");
    if (!o.eigenvalues.empty() && o.restarts != 1)
        throw usage_error("--restarts", std::to_string(o.restarts), "--eigenvalues writes one spectrum: one restart");
    if (!o.init_from.empty() && o.restarts != 1)
        throw usage_error("--restarts", std::to_string(o.restarts), "--init-from gives one starting point: one restart");
    o.gd.act = o.model.act;
    o.gd.train_v = o.model.train_v;
}

// The fractions of the classes, one line.
std::string summary(const std::vector<population_gd::end_class>& classes) {
    using population_gd::end_class;
    const std::array<end_class, 5> all{end_class::global_minimum, end_class::spurious_minimum, end_class::saddle,
                                       end_class::not_converged, end_class::diverged};
    std::ostringstream s;
    for (end_class c : all) {
        long n = 0;
        for (end_class x : classes) n += x == c;
        char item[96];
        std::snprintf(item, sizeof item, "%s%s %.4f (%ld/%zu)", c == all[0] ? "" : ", ", population_gd::name_of(c),
                      double(n) / double(classes.size()), n, classes.size());
        s << item;
    }
    return s.str();
}

int run_population(CLI::App& app, population_options& o) {
    check_options(app, o);
    if (!o.init_from.empty()) {  // read once here, so a bad file is a usage error before any work
        const initial_weights w = ode::read_initial_weights(o.init_from);
        ode::check_sizes_agree(w, o.model, app.count("--N") > 0, app.count("--P") > 0, app.count("--P-star") > 0);
    }
    std::optional<atomic_file> file, spectrum;
    if (!o.run.out.empty() && is_writer()) file.emplace(o.run.out, "--out");
    if (!o.eigenvalues.empty() && is_writer()) spectrum.emplace(o.eigenvalues, "--eigenvalues");
    std::vector<double> eigenvalues;  // restart 0's (the only one with --eigenvalues)
    std::vector<population_gd::end_class> classes(std::size_t(o.restarts));
    runner_options ro;
    ro.threads = o.run.threads;
    ro.quiet = o.run.quiet;
    ro.label = "population";
    const std::vector<job_result> results = run_jobs(
        o.restarts,
        [&](long j, job_progress& p) {
            initial_weights w = start_of(o, j);
            population_gd::outcome r = population_gd::descend_and_classify(w, o.gd, p);
            if (j == 0) eigenvalues = std::move(r.eigenvalues);  // one job writes it, before the runner returns
            const bool diverged = r.cls == population_gd::end_class::diverged;
            return job_result{csv_row(j, r), diverged,
                              diverged ? "restart " + std::to_string(j) + ": the loss is not finite after step " +
                                             std::to_string(r.steps) + " (the descent diverged: lower --lr)"
                                       : ""};
        },
        ro);
    if (!is_writer()) return 0;
    // The classes, read back from the rows (under MPI the rows are all rank 0 receives).
    for (std::size_t j = 0; j < results.size(); ++j) {
        const std::string& row = results[j].rows;
        for (population_gd::end_class c :
             {population_gd::end_class::global_minimum, population_gd::end_class::spurious_minimum,
              population_gd::end_class::saddle, population_gd::end_class::not_converged, population_gd::end_class::diverged})
            if (row.find(std::string(",") + population_gd::name_of(c) + ",") != std::string::npos) classes[j] = c;
    }
    const int code = write_job_rows(file, csv_header, results, "population");
    if (spectrum) {
        spectrum->stream() << "index,eigenvalue\n";
        char line[64];
        for (std::size_t i = 0; i < eigenvalues.size(); ++i) {
            std::snprintf(line, sizeof line, "%zu,%.17g\n", i, eigenvalues[i]);
            spectrum->stream() << line;
        }
        spectrum->commit();
    }
    std::fprintf(file ? stdout : stderr, "%s\n", summary(classes).c_str());
    return code;
}

command_main setup_population(CLI::App& sub) {
    auto o = std::make_shared<population_options>();
    o->model.act = activation_id::relu;
    o->model.P = 6;
    o->model.P_star = 6;
    o->model.N = 6;
    o->model.init_scale = 1;
    add_model_options(sub, o->model);
    sub.get_option("--N")->description("input dimension (default: --P-star)");
    sub.add_option("--teacher-units", o->teacher, "teacher rows: orthonormal (sqrt(N) e_n, T = I, v* = 1) or gaussian (train's)")
        ->check(CLI::IsMember({"orthonormal", "gaussian"}))
        ->capture_default_str();
    sub.add_option("--lr", o->gd.lr, "step: W -= lr N grad_W (and v -= lr grad_v)")
        ->check(CLI::Range(1e-12, 1e6))
        ->capture_default_str();
    sub.add_option("--steps", o->gd.max_steps, "at most this many descent steps (0: classify the start)")
        ->check(CLI::Range(0L, 1000000000L))
        ->capture_default_str();
    sub.add_option("--grad-tol", o->gd.grad_tol, "stop once max |N dL/dW| (and |dL/dv|) is below this")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    sub.add_option("--global-tol", o->gd.global_tol, "an end loss below this is a global minimum")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    sub.add_option("--hessian-step", o->gd.hessian_step, "step of the Hessian's central differences of the gradient")
        ->check(CLI::Range(1e-8, 1.0))
        ->capture_default_str();
    sub.add_option("--restarts", o->restarts, "restarts 0 .. R-1, restart j from train's draw for chain j")
        ->check(CLI::Range(1L, 10000000L))
        ->capture_default_str();
    sub.add_option("--threads", o->run.threads, "worker threads (0: every core)")->check(CLI::Range(0L, 4096L))->capture_default_str();
    sub.add_option("--out", o->run.out, "CSV file to write (default: standard output; the fractions then go to stderr)");
    sub.add_flag("--quiet", o->run.quiet, "no progress bar");
    sub.add_option("--init-from", o->init_from,
                   "descend from the weights in DIR (W.npy, v.npy, W_star.npy, v_star.npy) instead of drawing them; one restart");
    sub.add_option("--eigenvalues", o->eigenvalues,
                   "write every eigenvalue of the end point's population Hessian to this CSV (index,eigenvalue; one restart)");
    return [&sub, o] { return run_population(sub, *o); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("population",
                      "population gradient descent (no samples) from many restarts; each end classified as a global "
                      "minimum, spurious minimum or saddle by the population Hessian",
                      setup_population);

}  // namespace twolayer::tool
