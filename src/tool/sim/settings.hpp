// Everything one teacher-student simulation (a chain of `train`) is configured with at run time:
// the common option groups plus train's own choices, checked once (check_settings) so the chains
// never meet a value they cannot run.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../common_options.hpp"

namespace twolayer::tool {

/// How a trainer stores an updated value in a narrow format (--rounding).
enum class rounding_mode { nearest, stochastic };

/// The .npy files train reads and the directories it writes (docs/TOOL.md, "train").
struct train_files {
    std::string data, labels;  ///< --data X.npy (M x N), --labels y.npy (M): the dataset for GD
    std::string teacher;       ///< --teacher DIR: DIR/W_star.npy (P* x N), DIR/v_star.npy (P*)
    std::string save_weights;  ///< --save-weights DIR: DIR/chain_J/{W,v,W_star,v_star}.npy at the end
    std::string save_order;    ///< --save-order DIR: DIR/chain_J/{t,Q,R,T}.npy at the report times
};

/// Which sizes the command line gave (the others may come from the files).
struct given_sizes {
    bool N = false, P_star = false, samples = false;
};

struct file_inputs;

/// The settings of every chain of one `train` run.
struct train_settings {
    model_options model;
    training_options training;
    std::string format = "double";  ///< one of format_names()
    rounding_mode rounding = rounding_mode::nearest;
    bool master = false;    ///< --master: updates go to a master copy in the compute type
    long samples = 0;       ///< --samples M: 0 = online SGD, else GD on M samples drawn once
    long batch = 0;         ///< --batch B: with --samples, 0 = full batch, else mini-batches of B
    long reports = 50;      ///< --reports: log-spaced report times up to t-max (plus t = 0)
    long test_samples = 10000;  ///< --test-samples: Monte-Carlo test set size (when eps_g has no closed form)
    /// A refused step is counted and skipped (its sample or batch used up, the weights kept)
    /// instead of ending the chain: `sweep` measures the refused fraction; `train` stops.
    bool skip_refused = false;
    train_files files;
    given_sizes given;
    std::shared_ptr<const file_inputs> read;  ///< what the files held (read_file_inputs); null: none
};

/// Whether storage and arithmetic of the named format are one type (double, float): nothing is
/// rounded on a write, so --rounding stochastic and --master do not apply.
bool format_is_native(const std::string& format);

/// The total number of steps, round(t_max N) (t counts steps / N in every mode).
std::uint64_t total_steps(const train_settings& s);

/// Throws usage_error for combinations the options' own checks cannot see: less than one step,
/// --batch without --samples or above it, --rounding stochastic or --master on float/double,
/// stochastic rounding together with a master copy (the master is stored to nearest).
void check_settings(const train_settings& s);

/// The report steps: 0, then `reports` times log-spaced from one step to total, rounded to whole
/// steps (one step apart where log spacing is denser than that; fewer when total < reports), the
/// last one exactly total; strictly ascending.
std::vector<std::uint64_t> report_steps(std::uint64_t total, long reports);

/// Whether eps_g has a closed form for these activations (equal, and erf, relu, quadratic or
/// linear: teacher/generalization_error.hpp); otherwise it is estimated on a test set.
bool has_closed_form(activation_id student, activation_id teacher);

}  // namespace twolayer::tool
