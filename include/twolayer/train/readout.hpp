// Last-layer retraining: the first layer (W and the hidden biases) frozen and only read, the
// readout v (and the output bias c, if the network uses it) refitted on a small fixed dataset
// with per-class loss weights (labels +-1; weight w+ for y > 0, w- for y < 0: the
// weighted_squared_loss of model/loss.hpp). Two ways:
//   - readout_gd: guarded full-batch GD on the mean weighted loss, the batch trainer's own step
//     (batch_step: accumulate, plan, check, write) with every first-layer group switched off;
//   - readout_ridge: the closed form of the weighted ridge problem
//         min_v  sum_i c_i (v . h_i + c - y_i)^2 / 2 + lambda |v|^2 / 2,
//         h_i = g(W x_i / sqrt N + b),  c_i = w+ or w- by the sign of y_i,
//     i.e. (H^T C H + lambda I) v = H^T C y (with the bias: h_i extended by a 1 and c not
//     penalized), a K x K symmetric positive definite system, K = P or P + 1, solved by Cholesky
//     in fixed storage inside the object.
// GD's mean loss plus its weight decay 0.5 wd_v |v|^2 has the same minimizer as the ridge problem
// with lambda = M wd_v (M samples), so many GD steps converge to the ridge solution.
//
// The first layer may be const data (flash): readout_network holds it as const views and owns the
// rest (v, c, the forward cache); nothing in this header writes W or b of any network, and a
// readout_network cannot be handed to a trainer that would (it is not a network_ref).
//
// The pieces: train/readout_network.hpp (the network with a const first layer),
// train/readout_gd.hpp (GD), train/readout_ridge.hpp (the closed form).
#pragma once

#include "twolayer/train/readout_gd.hpp"
#include "twolayer/train/readout_network.hpp"
#include "twolayer/train/readout_ridge.hpp"
