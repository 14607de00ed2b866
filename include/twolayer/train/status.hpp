// What a training step reports. A step that is not ok changed nothing: every weight keeps its
// bits.
#pragma once
#include "twolayer/core/config.hpp"

namespace twolayer {

// Why a step was refused (ok: it was applied).
enum class step_status : std::uint8_t {
    ok = 0,
    nonfinite_input,        // a sample has a NaN or Inf component
    nonfinite_label,        // a label is NaN or Inf
    nonfinite_output,       // the network's output, the loss or its derivative is not finite
    nonfinite_update,       // the update would make a weight NaN or Inf (divergence)
    weight_limit_exceeded,  // the update would push a weight past config.weight_limit
    range_exceeded,         // the update would push a fixed-point weight out of its format's range
    bad_config,             // a learning rate or decay is negative or not finite
    empty_batch,            // a batch with no samples
    size_mismatch,          // sizes disagree at run time: sample vs network, the views of a
                            // network_ref, master vs network, dataset vs network or its labels,
                            // a game's inputs vs its players' (train/gda.hpp),
                            // or N past the format's dot length (format_traits::max_dot_length)
    misaligned_buffer,      // a buffer not aligned for its element type (core/view.hpp, is_aligned)
};

// A short description of a status, for logs ("ok", "non-finite input sample", ...).
inline const char* to_string(step_status s) {
    switch (s) {
        case step_status::ok: return "ok";
        case step_status::nonfinite_input: return "non-finite input sample";
        case step_status::nonfinite_label: return "non-finite label";
        case step_status::nonfinite_output: return "non-finite network output, loss or loss gradient";
        case step_status::nonfinite_update: return "update would make a weight non-finite";
        case step_status::weight_limit_exceeded: return "update would exceed the weight limit";
        case step_status::range_exceeded: return "update would leave the fixed-point format's range";
        case step_status::bad_config: return "learning rate or weight decay negative or not finite";
        case step_status::empty_batch: return "empty batch";
        case step_status::size_mismatch: return "sizes of the sample, network, master copy or dataset disagree (or N exceeds the format's dot length)";
        case step_status::misaligned_buffer: return "a buffer is not aligned for its element type";
    }
    return "unknown";
}

// What a step returns: its status, and the loss before the update (in the compute type C). True
// when the step was applied.
template <class C>
struct step_result {
    step_status status = step_status::ok;
    C loss = C(0);       // loss before the update (mean over the batch for GD)
    index_t sample = 0;  // for nonfinite_input/label/output in a batch: the offending sample's index
    bool ok() const { return status == step_status::ok; }
    explicit operator bool() const { return ok(); }
};

}  // namespace twolayer
