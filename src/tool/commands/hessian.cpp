// `twolayer hessian`: the spectrum of the empirical Hessian of the training loss of a student at
// its initialization (or at given weights) on M = alpha N Gaussian samples labelled by a teacher:
// the k extreme eigenpairs by Lanczos with residual bounds and their overlap with the teacher's
// subspace, per (alpha, seed) job of the runner; optionally every Ritz value and the bulk density
// by stochastic Lanczos quadrature. The work is in src/tool/hessian; here: options and output.
// Exit codes: 0 done; 1 a job's Hessian product was not finite (its rows are missing, the others
// are written); 2 bad input.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "../atomic_file.hpp"
#include "../command.hpp"
#include "../common_options.hpp"
#include "../hessian/alpha_grid.hpp"
#include "../hessian/job.hpp"
#include "../job_output.hpp"
#include "../job_runner.hpp"
#include "../npy/npy.hpp"
#include "../ode/init_from.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {
namespace {

struct hessian_options {
    hessian::settings s;
    training_options unused;  ///< resolve() wants one; hessian has no learning rule
    double alpha = 2;
    std::string scan, blocks = "default", loss = "squared";
    std::string init_from, inputs, density, eigenvalues;
    long bins = 100;
    run_options run;
};

const char* const csv_header = "alpha,seed,M,which,rank,eigenvalue,residual_bound,overlap,first_layer_weight\n";

std::string csv_rows(double alpha, long seed, const hessian::job_outcome& r) {
    std::string rows;
    char line[400];
    for (const hessian::eigen_row& e : r.rows) {
        std::snprintf(line, sizeof line, "%.17g,%ld,%ld,%s,%ld,%.17g,%.17g,%.17g,%.17g\n", alpha, seed, r.M,
                      e.largest ? "largest" : "smallest", e.rank, e.value, e.residual_bound, e.overlap,
                      e.first_layer_weight);
        rows += line;
    }
    return rows;
}

// --init-from and --inputs, read once (a bad file is bad input before any job), and their sizes
// against the command line's.
void read_files(CLI::App& app, hessian_options& o) {
    model_options& m = o.s.model;
    if (!o.init_from.empty()) {
        auto w = std::make_shared<initial_weights>(ode::read_initial_weights(o.init_from));
        ode::check_sizes_agree(*w, m, app.count("--N") > 0, app.count("--P") > 0, app.count("--P-star") > 0);
        m.N = w->N;
        m.P = w->P;
        m.P_star = w->P_star;
        o.s.weights = std::move(w);
    }
    if (!o.inputs.empty()) {
        const bool n_fixed = app.count("--N") > 0 || !o.init_from.empty();
        npy::array X = npy::read_expect(o.inputs, "--inputs", {-1, n_fixed ? m.N : -1});
        if (X.shape[0] == 0) throw usage_error("--inputs", o.inputs, "no samples (shape " + npy::shape_string(X.shape) + ")");
        if (X.shape[1] > 10000) throw usage_error("--inputs", o.inputs, "N = " + std::to_string(X.shape[1]) + " above 10000");
        m.N = long(X.shape[1]);
        o.s.inputs = std::make_shared<const std::vector<double>>(std::move(X.values));
    }
}

void check_options(CLI::App& app, hessian_options& o) {
    resolve(app, o.s.model, o.unused);
    model_options& m = o.s.model;
    const bool scan = app.count("--scan-alpha") > 0, one_alpha = app.count("--alpha") > 0;
    if (scan && one_alpha) throw usage_error("--scan-alpha", o.scan, "give either --alpha or --scan-alpha");
    if (scan) o.s.alphas = hessian::parse_scan(o.scan);
    else {
        hessian::check_alpha(o.alpha, "--alpha", std::to_string(o.alpha));
        o.s.alphas = {o.alpha};
    }
    if (!o.inputs.empty() && (scan || one_alpha))
        throw usage_error(scan ? "--scan-alpha" : "--alpha", scan ? o.scan : std::to_string(o.alpha),
                          "--inputs gives the samples (M = its rows, alpha = M / N)");
    const std::string single = !o.init_from.empty() ? "--init-from" : !o.inputs.empty() ? "--inputs"
                               : !o.density.empty() ? "--density" : !o.eigenvalues.empty() ? "--eigenvalues" : "";
    if (!single.empty() && o.s.seeds != 1)
        throw usage_error("--seeds", std::to_string(o.s.seeds), single + " is for one job: one seed");
    if (!single.empty() && single != "--inputs" && scan && o.s.alphas.size() != 1)
        throw usage_error("--scan-alpha", o.scan, single + " is for one job: one alpha");
    read_files(app, o);
    if (o.s.inputs) o.s.alphas = {double(o.s.samples_at(0)) / double(m.N)};
    if (o.s.teacher_units == "orthonormal" && !o.s.weights && m.N < m.P_star)
        throw usage_error("--N", std::to_string(m.N),
                          "an orthonormal teacher needs N >= --P-star (" + std::to_string(m.P_star) + ")");
    if (o.blocks == "default") o.blocks = m.train_v ? "all" : "first";
    o.s.blocks = {o.blocks != "second", o.blocks != "first", false};
    const long dim = o.s.dimension();
    if (o.s.k > dim)
        throw usage_error("--k", std::to_string(o.s.k), "above the Hessian's dimension " + std::to_string(dim) +
                                                            " (--blocks " + o.blocks + ")");
    if (o.s.k > o.s.lanczos_steps)
        throw usage_error("--k", std::to_string(o.s.k),
                          "needs at least as many Lanczos steps (--lanczos-steps " + std::to_string(o.s.lanczos_steps) + ")");
    // Q holds steps x dim doubles; the dataset M x N.
    const double steps = double(std::min(std::max(o.s.lanczos_steps, o.density.empty() ? 0L : o.s.slq_steps), dim));
    if (steps * double(dim) > 5e8)
        throw usage_error("--lanczos-steps", std::to_string(o.s.lanczos_steps),
                          "the Lanczos basis would need " + std::to_string(long(steps * double(dim) * 8e-9)) +
                              " GB (steps x dimension doubles, at most 4 GB)");
    for (double a : o.s.alphas)
        if (double(o.s.samples_at(a)) * double(m.N) > 5e8)
            throw usage_error(scan ? "--scan-alpha" : "--alpha", scan ? o.scan : std::to_string(a),
                              "M N above 5e8 (the dataset would need more than 4 GB)");
    o.s.density = !o.density.empty();
    o.s.ritz_values = !o.eigenvalues.empty();
}

// One stderr line per alpha: the mean overlap of the most extreme eigenvectors over the seeds,
// read back from the rows (under MPI the rows are what rank 0 receives).
void print_summary(const hessian_options& o, const std::vector<job_result>& results) {
    for (std::size_t a = 0; a < o.s.alphas.size(); ++a) {
        double sum[2] = {0, 0};
        long count[2] = {0, 0};
        for (long s = 0; s < o.s.seeds; ++s) {
            std::istringstream rows(results[a * std::size_t(o.s.seeds) + std::size_t(s)].rows);
            for (std::string line; std::getline(rows, line);) {
                std::vector<std::string> f;
                std::stringstream fields(line);
                for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
                if (f.size() != 9 || f[4] != "0") continue;
                const int end = f[3] == "largest";
                const double ov = std::strtod(f[7].c_str(), nullptr);
                if (std::isfinite(ov)) {
                    sum[end] += ov;
                    ++count[end];
                }
            }
        }
        std::fprintf(stderr, "twolayer hessian: alpha %g: mean overlap with the teacher subspace, smallest %.4f, largest %.4f (%ld seeds)\n",
                     o.s.alphas[a], count[0] ? sum[0] / double(count[0]) : NAN, count[1] ? sum[1] / double(count[1]) : NAN,
                     o.s.seeds);
    }
}

void write_density(atomic_file& f, const hessian::spectral_nodes& nodes, long bins) {
    f.stream() << "bin_lo,bin_hi,density\n";
    char line[96];
    for (const hessian::density_bin& b : hessian::histogram(nodes, bins)) {
        std::snprintf(line, sizeof line, "%.17g,%.17g,%.17g\n", b.lo, b.hi, b.density);
        f.stream() << line;
    }
    f.commit();
}

void write_ritz(atomic_file& f, const std::vector<double>& values) {
    f.stream() << "index,eigenvalue\n";
    char line[64];
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::snprintf(line, sizeof line, "%zu,%.17g\n", i, values[i]);
        f.stream() << line;
    }
    f.commit();
}

int run_hessian(CLI::App& app, hessian_options& o) {
    check_options(app, o);
    std::optional<atomic_file> file, density, ritz;
    if (!o.run.out.empty() && is_writer()) file.emplace(o.run.out, "--out");
    if (!o.density.empty() && is_writer()) density.emplace(o.density, "--density");
    if (!o.eigenvalues.empty() && is_writer()) ritz.emplace(o.eigenvalues, "--eigenvalues");
    hessian::job_outcome first;  // job 0's (the only one with --density or --eigenvalues; rank 0 runs it)
    runner_options ro;
    ro.threads = o.run.threads;
    ro.quiet = o.run.quiet;
    ro.label = "hessian";
    const hessian::settings& s = o.s;
    const std::vector<job_result> results = run_jobs(
        s.jobs(),
        [&](long j, job_progress& p) {
            const double alpha = s.alphas[std::size_t(j / s.seeds)];
            const long seed = j % s.seeds;
            hessian::job_outcome r = hessian::run_job(s, alpha, seed, p);
            job_result out{csv_rows(alpha, seed, r), !r.ok, r.message};
            if (j == 0) first = std::move(r);
            return out;
        },
        ro);
    if (!is_writer()) return 0;
    const int code = write_job_rows(file, csv_header, results, "hessian");
    if (code == 0 && density) write_density(*density, first.nodes, o.bins);
    if (code == 0 && ritz) write_ritz(*ritz, first.ritz_values);
    print_summary(o, results);
    return code;
}

command_main setup_hessian(CLI::App& sub) {
    auto o = std::make_shared<hessian_options>();
    model_options& m = o->s.model;
    m.act = activation_id::quadratic;
    m.N = 100;
    m.P = 2;
    m.P_star = 1;
    m.init_scale = 1;
    add_model_options(sub, m);
    sub.get_option("--init-scale")->description("student row norm / sqrt(N) with --init sphere; entry standard deviation with gaussian");
    sub.add_option("--init", o->s.init, "sphere: every drawn row rescaled to norm sqrt(N) (the student's times --init-scale); gaussian: as drawn")
        ->check(CLI::IsMember({"sphere", "gaussian"}))
        ->capture_default_str();
    sub.add_option("--teacher-units", o->s.teacher_units, "teacher rows: gaussian (drawn) or orthonormal (sqrt(N) e_n, v* = 1)")
        ->check(CLI::IsMember({"gaussian", "orthonormal"}))
        ->capture_default_str();
    sub.add_option("--alpha", o->alpha, "samples per input: M = max(1, round(alpha N))")->capture_default_str();
    sub.add_option("--scan-alpha", o->scan, "a:b:n: n alphas evenly spaced from a to b inclusive (instead of --alpha)");
    sub.add_option("--seeds", o->s.seeds, "seed indices 0 .. S-1 at every alpha (teacher, student, data of each)")
        ->check(CLI::Range(1L, 1000000L))
        ->capture_default_str();
    sub.add_option("--k", o->s.k, "extreme eigenpairs at each end (smallest and largest)")
        ->check(CLI::Range(1L, 100000L))
        ->capture_default_str();
    sub.add_option("--lanczos-steps", o->s.lanczos_steps, "Lanczos steps (capped at the dimension)")
        ->check(CLI::Range(1L, 100000L))
        ->capture_default_str();
    sub.add_option("--blocks", o->blocks, "parameters: first (W), second (v) or all (W and v); default first, all with --train-v true")
        ->check(CLI::IsMember({"first", "second", "all"}));
    sub.add_option("--loss", o->loss, "training loss (squared: (yhat - y)^2 / 2)")->check(CLI::IsMember({"squared"}))->capture_default_str();
    sub.add_option("--density", o->density, "write the SLQ spectral density histogram to this CSV (bin_lo,bin_hi,density; one job)");
    sub.add_option("--slq-vectors", o->s.slq_vectors, "SLQ Rademacher probes")->check(CLI::Range(1L, 1000000L))->capture_default_str();
    sub.add_option("--slq-steps", o->s.slq_steps, "Lanczos steps per SLQ probe (capped at the dimension)")
        ->check(CLI::Range(1L, 100000L))
        ->capture_default_str();
    sub.add_option("--bins", o->bins, "histogram bins of --density")->check(CLI::Range(1L, 1000000L))->capture_default_str();
    sub.add_option("--init-from", o->init_from, "weights from DIR (W.npy, v.npy, W_star.npy, v_star.npy) instead of drawn; one job");
    sub.add_option("--inputs", o->inputs, "the samples from X.npy (M x N; labels from the teacher) instead of drawn; one job");
    sub.add_option("--eigenvalues", o->eigenvalues, "write every Ritz value of the run to this CSV (index,eigenvalue; one job)");
    add_job_output_options(sub, o->run.threads, o->run.out, o->run.quiet);
    return [&sub, o] { return run_hessian(sub, *o); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("hessian",
                      "the empirical Hessian's extreme eigenpairs (Lanczos), their teacher overlaps, and the SLQ "
                      "density, at initialization over alpha and seeds",
                      setup_hessian);

}  // namespace twolayer::tool
