// `twolayer train`: the teacher-student simulation on the library's trainers (src/tool/sim/),
// online SGD or (mini-batch) GD on a dataset drawn once, every chain a job of the runner, the
// learning curves as CSV. This file declares the options only; the logic is in sim/train_run.
#include <map>

#include <CLI/CLI.hpp>

#include "../command.hpp"
#include "../common_options.hpp"
#include "../sim/train_run.hpp"

namespace twolayer::tool {
namespace {

command_main setup_train(CLI::App& app) {
    auto s = std::make_shared<train_settings>();
    auto r = std::make_shared<run_options>();
    app.description(
        "Trains students on their teachers (chain j: initial weights and samples from the seed streams of "
        "(--seed, j)) and writes the CSV columns chain,t,eps_g,train_loss,eps_g_se,step,refused at --reports "
        "log-spaced times and t = 0. t counts steps / N in every mode: online SGD takes one fresh sample per "
        "step; with --samples M one step is one update on the whole dataset (--batch 0) or on B samples "
        "(--batch B, taken in order, wrapping around); --data/--labels give the dataset, --teacher the teacher "
        "(eps_g is NaN with --data and no --teacher). eps_g is the closed form when --act equals --teacher-act "
        "and is erf, relu, quadratic or linear, else a Monte-Carlo mean on --test-samples fixed inputs "
        "(eps_g_se its standard error). A step the guard refuses stops its chain (exit 1; the rows so far are "
        "written).");
    add_model_options(app, s->model);
    add_training_options(app, s->training);
    add_run_options(app, *r);
    app.add_option("--samples", s->samples, "GD on M samples drawn once (alpha = M/N); 0: online SGD")
        ->check(CLI::Range(0L, 1000000000L))
        ->capture_default_str();
    app.add_option("--batch", s->batch, "with --samples: 0 = full-batch GD, B = mini-batches of B samples")
        ->check(CLI::Range(0L, 1000000000L))
        ->capture_default_str();
    app.add_option("--reports", s->reports, "report times, log-spaced from one step to t-max (plus t = 0)")
        ->check(CLI::Range(1L, 1000000L))
        ->capture_default_str();
    app.add_option("--test-samples", s->test_samples, "Monte-Carlo test set size (when eps_g has no closed form)")
        ->check(CLI::Range(2L, 100000000L))
        ->capture_default_str();
    const std::map<std::string, rounding_mode> roundings = {{"nearest", rounding_mode::nearest},
                                                            {"stochastic", rounding_mode::stochastic}};
    app.add_option("--rounding", s->rounding, "how narrow formats store updates: nearest|stochastic")
        ->transform(CLI::CheckedTransformer(roundings, CLI::ignore_case))
        ->transform(one_of({"nearest", "stochastic"}))
        ->option_text("nearest|stochastic=nearest");
    app.add_option("--master", s->master, "narrow formats: keep master copies in the compute type (true|false)")
        ->default_str("false");
    app.add_option("--data", s->files.data, "GD on this dataset, X.npy of shape (M, N), instead of a drawn one");
    app.add_option("--labels", s->files.labels, "the labels of --data, y.npy of shape (M,)");
    app.add_option("--teacher", s->files.teacher, "read the teacher from DIR/W_star.npy (P*, N) and DIR/v_star.npy (P*,)");
    app.add_option("--save-weights", s->files.save_weights,
                   "write DIR/chain_J/W.npy, v.npy, W_star.npy, v_star.npy (float64) at the end of each chain");
    app.add_option("--save-order", s->files.save_order,
                   "write DIR/chain_J/t.npy, Q.npy, R.npy, T.npy (float64): the order parameters at the report times");
    return [&app, s, r] {
        resolve(app, s->model, s->training);
        s->format = r->format;
        s->given = {app.count("--N") > 0, app.count("--P-star") > 0, app.count("--samples") > 0};
        return run_train(*s, *r);
    };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("train", "online SGD or GD of students on teachers: learning curves as CSV", setup_train);

}  // namespace twolayer::tool
