// `twolayer retrain`: last-layer retraining with class weights (w+ = w for the minority class
// +1, w- = 1) on a class-conditional Gaussian mixture, over a log grid of w: both class errors on
// a fresh test set and the worst, per seed; on stdout the weight that balances the two errors.
// The work is in src/tool/research/retrain.cpp (the library's readout_ridge, or readout GD); here:
// options, output and the summary. Exit codes: 0 done; 1 a solve or step was refused; 2 bad input.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
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
#include "../research/retrain.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {
namespace {

struct retrain_options {
    research::retrain_settings s;
    std::string first_layer = "random", solver = "ridge", weights = "1:1000:13";
    long seeds = 5;
    long threads = 0;
    std::string out;
    bool quiet = false;
};

const char* const csv_header = "seed,weight,err_plus,err_minus,worst\n";

void check_number(double x, const char* option, bool zero_ok) {
    if (!std::isfinite(x) || x < 0 || (!zero_ok && x == 0))
        throw usage_error(option, std::to_string(x), zero_ok ? "must be a number >= 0" : "must be a number > 0");
}

void check_options(retrain_options& o) {
    research::retrain_settings& s = o.s;
    if (!(s.prior > 0 && s.prior <= 0.5)) throw usage_error("--prior", std::to_string(s.prior), "must be in (0, 0.5] (class +1 is the minority)");
    s.weights = research::parse_log_grid(o.weights, "--weights");
    check_number(s.separation, "--separation", true);
    check_number(s.ridge, "--ridge", true);
    check_number(s.gd_lr, "--gd-lr", false);
    check_number(s.pretrain_lr, "--pretrain-lr", false);
    s.trained = o.first_layer == "trained";
    s.gd = o.solver == "gd";
    if (s.act != activation_id::relu && s.act != activation_id::erf && s.act != activation_id::tanh)
        throw usage_error("--act", activation_name(s.act), "retrain runs relu, erf or tanh");
    if (double(s.n) * double(s.d) > 1e8) throw usage_error("--n", std::to_string(s.n), "n d above 1e8 (the training set would need more than 800 MB)");
}

// Per seed, the grid's err_plus - err_minus read back from the rows (under MPI they are what rank 0
// received), and the weight that balances them.
void print_summary(const retrain_options& o, const std::vector<job_result>& results, std::FILE* to) {
    std::vector<double> found;
    for (std::size_t j = 0; j < results.size(); ++j) {
        std::vector<double> w, diff;
        std::istringstream rows(results[j].rows);
        for (std::string line; std::getline(rows, line);) {
            std::vector<double> f;
            std::stringstream fields(line);
            for (std::string x; std::getline(fields, x, ',');) f.push_back(std::strtod(x.c_str(), nullptr));
            if (f.size() != 5) continue;
            w.push_back(f[1]);
            diff.push_back(f[2] - f[3]);
        }
        const double b = research::balancing_weight(w, diff);
        found.push_back(b);
        if (results[j].failed)
            std::fprintf(to, "twolayer retrain: seed %zu: refused (stderr says why)\n", j);
        else if (std::isfinite(b))
            std::fprintf(to, "twolayer retrain: seed %zu: balancing weight %.6g (%.4g x the prior ratio %.4g)\n", j, b,
                         b / ((1 - o.s.prior) / o.s.prior), (1 - o.s.prior) / o.s.prior);
        else
            std::fprintf(to, "twolayer retrain: seed %zu: err_plus - err_minus does not change sign on the grid %s\n", j,
                         o.weights.c_str());
    }
    // The median is over the seeds whose errors cross on the grid: say how many of all those are.
    std::size_t crossing = 0;
    for (double b : found) crossing += std::isfinite(b) ? 1 : 0;
    if (crossing == 0)
        std::fprintf(to, "twolayer retrain: no balancing weight: 0 of %zu seeds cross on the grid %s (d/n = %.4g, prior %.4g)\n",
                     found.size(), o.weights.c_str(), double(o.s.d) / double(o.s.n), o.s.prior);
    else
        std::fprintf(to, "twolayer retrain: median balancing weight %.6g over the %zu of %zu seeds that cross (d/n = %.4g, prior %.4g)\n",
                     research::median_of_finite(found), crossing, found.size(), double(o.s.d) / double(o.s.n), o.s.prior);
}

int run_retrain(retrain_options& o) {
    check_options(o);
    std::optional<atomic_file> file;
    if (!o.out.empty() && is_writer()) file.emplace(o.out, "--out");
    runner_options ro;
    ro.threads = o.threads;
    ro.quiet = o.quiet;
    ro.label = "retrain";
    const research::retrain_settings& s = o.s;
    const std::vector<job_result> results =
        run_jobs(o.seeds, [&](long j, job_progress& p) { return research::run_retrain_job(s, j, p); }, ro);
    if (!is_writer()) return 0;
    const int code = write_job_rows(file, csv_header, results, "retrain");
    print_summary(o, results, file ? stdout : stderr);  // the CSV may be on stdout
    return code;
}

command_main setup_retrain(CLI::App& sub) {
    auto o = std::make_shared<retrain_options>();
    research::retrain_settings& s = o->s;
    sub.add_option("--d", s.d, "input dimension")->check(CLI::Range(1L, 100000L))->capture_default_str();
    sub.add_option("--n", s.n, "training samples (round(prior n) of class +1, at least 1 of each class)")
        ->check(CLI::Range(2L, 10000000L))
        ->capture_default_str();
    sub.add_option("--prior", s.prior, "fraction of class +1, the minority: in (0, 0.5]")->capture_default_str();
    sub.add_option("--separation", s.separation, "|mu|: the class means are +mu e_1 (class +1) and -mu e_1")->capture_default_str();
    sub.add_option("--first-layer", o->first_layer, "random (W entries N(0, 1)) or trained (GD on both layers first)")
        ->check(CLI::IsMember({"random", "trained"}))
        ->capture_default_str();
    sub.add_option("--P", s.P, "hidden units")->check(CLI::Range(1L, research::retrain_max_width))->capture_default_str();
    std::map<std::string, activation_id> acts = {{"relu", activation_id::relu}, {"erf", activation_id::erf}, {"tanh", activation_id::tanh}};
    sub.add_option("--act", s.act, "activation of the first layer")
        ->transform(CLI::CheckedTransformer(acts, CLI::ignore_case))
        ->transform(one_of({"erf", "relu", "tanh"}))
        ->option_text("erf|relu|tanh=erf");
    sub.add_option("--weights", o->weights, "a:b:n: n class weights w+ log-spaced from a to b (w- = 1)")->capture_default_str();
    sub.add_option("--ridge", s.ridge, "lambda: the readout's ridge penalty lambda |v|^2 / 2 (GD: weight decay lambda / n)")->capture_default_str();
    sub.add_option("--solver", o->solver, "ridge (readout_ridge's Cholesky solve) or gd (full-batch GD of the readout)")
        ->check(CLI::IsMember({"ridge", "gd"}))
        ->capture_default_str();
    sub.add_option("--gd-steps", s.gd_steps, "readout GD steps per weight (--solver gd)")->check(CLI::Range(1L, 100000000L))->capture_default_str();
    sub.add_option("--gd-lr", s.gd_lr, "readout GD rate, in units of 1 / trace of the loss's Hessian")->capture_default_str();
    sub.add_option("--pretrain-steps", s.pretrain_steps, "full-batch GD steps on both layers (--first-layer trained)")
        ->check(CLI::Range(0L, 100000000L))
        ->capture_default_str();
    sub.add_option("--pretrain-lr", s.pretrain_lr, "their first-layer rate (second layer: lr / P)")->capture_default_str();
    sub.add_option("--test-samples", s.test_samples, "fresh test samples per class")->check(CLI::Range(1L, 100000000L))->capture_default_str();
    sub.add_option("--seeds", o->seeds, "seed indices 0 .. S-1 (data, first layer, test set of each)")
        ->check(CLI::Range(1L, 1000000L))
        ->capture_default_str();
    sub.add_option("--seed", s.seed, "base seed; seed index s draws from streams of (seed, s) only")->capture_default_str();
    add_job_output_options(sub, o->threads, o->out, o->quiet);
    return [o] { return run_retrain(*o); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("retrain",
                      "last-layer retraining with class weights on an imbalanced Gaussian mixture: both class errors "
                      "per weight, and the weight that balances them",
                      setup_retrain);

}  // namespace twolayer::tool
