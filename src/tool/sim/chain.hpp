// One chain of `train`: a student of run-time format and activation learning the chain's teacher,
// behind a small interface so the report loop (train_run.cpp) is written once for every format.
// The steps themselves run inside the format's template (online_chain.hpp, batch_chain.hpp):
// one virtual call per advance(), none per step.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "twolayer/train/status.hpp"
#include "initial_weights.hpp"
#include "settings.hpp"
#include "teacher.hpp"

namespace twolayer::tool {

/// What advance() did: the steps done, the sum of their losses (before each update, in double;
/// online SGD only), and ok or the status of the refused step that stopped it. With
/// train_settings::skip_refused a refused step does not stop the chain: it counts in `done` and
/// in `refused` (its sample is used up, the weights keep their bits), and status stays ok.
struct advance_result {
    std::uint64_t done = 0;
    double loss_sum = 0;
    std::uint64_t refused = 0;
    step_status status = step_status::ok;
};

/// A running chain. Steps are numbered from 0; t = steps / N in every mode.
class chain {
public:
    virtual ~chain() = default;
    /// Runs up to `steps` more steps; stops before the first refused one (its weights are those
    /// of before it, as the guard promises).
    virtual advance_result advance(std::uint64_t steps) = 0;
    /// The student's W (P x N, row-major) and v, as double (exact).
    virtual void student_weights(std::vector<double>& W, std::vector<double>& v) const = 0;
    /// The mean loss on the training set (GD chains); NaN for online SGD, which has none.
    virtual double dataset_loss() = 0;
    /// The student's outputs on count samples X (count x N, double, row-major), each sample stored
    /// in the format first as a device would (fixed point: rounded and saturated).
    virtual void student_outputs(const double* X, long count, double* out) = 0;
};

/// What a chain is made from: the settings, its job index (its seed streams), the initial weights
/// (draw_initial_weights) and its teacher, which outlive the chain.
struct chain_inputs {
    const train_settings& settings;
    long job;
    const initial_weights& start;
    teacher_network& teacher;
};

/// The chain of the settings' format, activation, mode, rounding and master choice.
std::unique_ptr<chain> make_chain(const chain_inputs& in);

/// Runs `steps` more steps of c, at most `chunk` per advance() call, and calls after_call with
/// the steps done so far after each call (a progress bar); stops early where a refused step ended
/// the chain. The sums of every call.
advance_result advance_in_chunks(chain& c, std::uint64_t steps, std::uint64_t chunk,
                                 const std::function<void(std::uint64_t)>& after_call);

}  // namespace twolayer::tool
