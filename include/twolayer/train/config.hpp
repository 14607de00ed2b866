// Hyper-parameters shared by the trainers.
#pragma once
#include <cstdint>

#include "twolayer/core/config.hpp"

namespace twolayer {

// How learning rates map to updates.
//  teacher_student (default): W -= lr_w * grad_W; v and biases -= (lr / N) * grad. With one fresh
//    sample per step this is the online-learning scaling of the literature,
//    w_k -= (eta/sqrt N) v_k g'(lambda_k) (yhat - y) x,  v -= (eta_v/N) g(lambda) (yhat - y),
//    under which order parameters evolve on the time scale t = steps / N.
//  plain: every parameter -= lr * grad.
enum class lr_scaling : std::uint8_t { teacher_student, plain };

// Learning-rate multiplier for step number `step` (0-based, counting accepted steps); ctx is the
// caller's state. C: the compute type.
template <class C>
using schedule_fn = C (*)(std::uint64_t step, void* ctx);

// The settings of a trainer, in the compute type C of the network's format (train_config<float>
// for float, bf16, f16, q3_12 and q4_27 networks). Every field is checked by the guard before a
// step: a negative or non-finite rate, decay or limit makes the step fail with bad_config.
template <class C>
struct train_config {
    C lr_w = C(1);  // first layer
    C lr_v = C(1);  // second layer
    C lr_b = C(1);  // hidden and output biases (only when the network uses them)
    bool train_w = true;  // false: first layer frozen (last-layer retraining)
    bool train_v = true;  // false: second layer fixed (committee machine)
    bool train_b = true;
    C weight_decay_w = C(0);  // l2 penalty 0.5 wd |W|^2 added to the loss
    C weight_decay_v = C(0);
    lr_scaling scaling = lr_scaling::teacher_student;
    // Reject any update that would make some |weight| exceed this (0: only finiteness is
    // required). A cheap divergence guard for long unattended runs.
    C weight_limit = C(0);
    schedule_fn<C> schedule = nullptr;  // null: the rates as given
    void* schedule_ctx = nullptr;
};

}  // namespace twolayer
