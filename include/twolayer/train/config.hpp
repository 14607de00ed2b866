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

// Learning-rate multiplier for step number `step` (0-based); ctx is the caller's state.
template <class T>
using schedule_fn = T (*)(std::uint64_t step, void* ctx);

template <class T>
struct train_config {
    T lr_w = T(1);  // first layer
    T lr_v = T(1);  // second layer
    T lr_b = T(1);  // hidden and output biases (only when the network uses them)
    bool train_w = true;  // false: first layer frozen (last-layer retraining)
    bool train_v = true;  // false: second layer fixed (committee machine)
    bool train_b = true;
    T weight_decay_w = T(0);  // l2 penalty 0.5 wd |W|^2 added to the loss
    T weight_decay_v = T(0);
    lr_scaling scaling = lr_scaling::teacher_student;
    // Reject any update that would make some |weight| exceed this (0: only finiteness is
    // required). A cheap divergence guard for long unattended runs.
    T weight_limit = T(0);
    schedule_fn<T> schedule = nullptr;
    void* schedule_ctx = nullptr;
};

}  // namespace twolayer
