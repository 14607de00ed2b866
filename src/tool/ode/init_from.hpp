// Initial weights read from .npy files instead of drawn from --seed: the directory `train
// --save-weights DIR` writes (W.npy P x N, v.npy P, W_star.npy P* x N, v_star.npy P*), or any
// weights saved the same way from NumPy or PyTorch.
#pragma once
#include <string>

#include "../common_options.hpp"
#include "../sim/initial_weights.hpp"

namespace twolayer::tool::ode {

/// The four arrays of `dir`; the sizes come from the files (W gives P and N, W_star gives P*),
/// which must agree with each other. Any error (a missing or malformed file, a wrong shape, a NaN)
/// is a usage_error naming --init-from and the file.
initial_weights read_initial_weights(const std::string& dir);

/// Throws usage_error when an option given on the command line contradicts the files' sizes
/// (given_*: whether --N, --P, --P-star were on the line).
void check_sizes_agree(const initial_weights& w, const model_options& m, bool given_N, bool given_P, bool given_P_star);

}  // namespace twolayer::tool::ode
