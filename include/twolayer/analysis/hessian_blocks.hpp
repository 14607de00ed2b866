// Which parameter blocks a Hessian (or a gradient) is taken over: the one selector of the
// analysis headers, shared by the empirical HVP (analysis/hvp.hpp) and the population Hessian
// (analysis/population.hpp), so that a frozen layer is described the same way everywhere.
#pragma once

namespace twolayer {

// Which blocks of the flat layout take part (true: active). A frozen layer (a trainer's
// train_w or train_v false) is excluded by turning its block off. biases: the hidden and output
// biases (b and c), counted only when the network uses them; the population quantities have no
// biases and ignore it.
struct hessian_blocks {
    bool first_layer = true;   // W
    bool second_layer = true;  // v
    bool biases = true;        // b and c
};

}  // namespace twolayer
