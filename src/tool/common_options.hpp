// The options the teacher-student subcommands share, spelled the same in every command, with
// their defaults and range checks (CLI11 validators: a bad value ends in one line naming the
// option and the value, exit code 2). A command adds the groups it uses.
#pragma once
#include <string>
#include <vector>

#include "twolayer/model/activation.hpp"
#include "twolayer/model/init.hpp"

namespace CLI {
class App;
class Validator;
}

namespace twolayer::tool {

/// The student and the teacher: sizes, activations, initialization, seed.
struct model_options {
    long N = 1000;           ///< --N: input dimension (1 .. 10^4)
    long P = 2;              ///< --P: student hidden units
    long P_star = 2;         ///< --P-star: teacher hidden units
    activation_id act = activation_id::erf;          ///< --act
    activation_id teacher_act = activation_id::erf;  ///< --teacher-act (default: as --act)
    second_layer_init second_layer = second_layer_init::one;  ///< --second-layer: initial v
    double init_scale = 1e-3;  ///< --init-scale: standard deviation of the student's W entries
    bool train_v = false;      ///< --train-v: train the second layer too
    unsigned long seed = 1;    ///< --seed: job j draws from streams derived from (seed, j) only
    bool teacher_act_given = false;  ///< set by resolve(): whether --teacher-act was on the line
};

/// The learning rule: rates, noise, decay, duration.
struct training_options {
    double lr = 0.5;        ///< --lr: first-layer learning rate eta
    double lr_v = -1;       ///< --lr-v: second-layer rate (default: as --lr)
    double noise = 0;       ///< --noise: standard deviation sigma of the teacher's label noise
    double weight_decay = 0;  ///< --weight-decay: l2 coefficient on both layers
    double t_max = 100;     ///< --t-max: duration in units of N steps
};

/// How a run is carried out and written: number format, chains, threads, output.
struct run_options {
    std::string format = "double";  ///< --format: one of format_names()
    long chains = 1;                ///< --chains: independent runs (job j uses seed stream j)
    long threads = 0;               ///< --threads: 0 = every core
    std::string out;                ///< --out: the CSV written (atomically); "" = stdout
    bool quiet = false;             ///< --quiet: no progress bar
};

/// The number formats the tool runs, as spelled on the command line: double, float, f16, bf16,
/// q3_12, q4_27, and S/C for storage S with arithmetic in C (e.g. q4_27/double).
const std::vector<std::string>& format_names();

/// A transform for an option taking one of `names` (any case): another value fails with
/// "VALUE is not one of a|b|c". Add it after the transform that maps the names (it then runs
/// first): CLI11's CheckedTransformer prints an enum's values instead of its names.
CLI::Validator one_of(const std::vector<std::string>& names);

/// Adds --N --P --P-star --act --teacher-act --second-layer --init-scale --train-v --seed.
void add_model_options(CLI::App& app, model_options& m);
/// Adds --lr --lr-v --noise --weight-decay --t-max.
void add_training_options(CLI::App& app, training_options& t);
/// Adds --format --chains --threads --out --quiet.
void add_run_options(CLI::App& app, run_options& r);
/// Adds --threads (worker threads, 0: every core), --out (the CSV, default standard output) and
/// --quiet (no progress bar): what every command on the job runner takes.
void add_job_output_options(CLI::App& app, long& threads, std::string& out, bool& quiet);

/// After parsing: fills the defaults that depend on other options (--teacher-act from --act,
/// --lr-v from --lr). Call it first thing in a command's main.
void resolve(CLI::App& app, model_options& m, training_options& t);

}  // namespace twolayer::tool
