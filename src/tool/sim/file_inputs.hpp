// What `train` reads from .npy files (the strict reader, src/tool/npy): a dataset (--data X.npy
// --labels y.npy) instead of one drawn from the seed, and a teacher (--teacher DIR: W_star.npy,
// v_star.npy) instead of the seed's. Sizes the command line did not give are taken from the
// files; sizes it gave must match them. Every problem is one usage_error naming option and file.
#pragma once
#include <memory>
#include <vector>

#include "settings.hpp"

namespace twolayer::tool {

/// The arrays read, in double, C order.
struct file_inputs {
    std::vector<double> X, y;            ///< --data (M x N) and --labels (M); empty: drawn
    std::vector<double> W_star, v_star;  ///< --teacher: P* x N and P*; empty: drawn
    bool has_data() const { return !y.empty(); }
    bool has_teacher() const { return !v_star.empty(); }
};

/// Reads the files s.files names and checks their shapes against each other and the settings;
/// sets s.model.N (from X or W*), s.model.P_star (from W*) and s.samples (M) where the command
/// line left them free. Returns null when no file is named.
std::shared_ptr<const file_inputs> read_file_inputs(train_settings& s);

}  // namespace twolayer::tool
