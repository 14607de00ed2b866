// What `train` writes besides its CSV, as .npy files NumPy and PyTorch load directly (float64,
// C order): a chain's final weights (--save-weights) and its order parameters at the report
// times (--save-order). Each chain writes its own directory DIR/chain_J, from the process that
// runs it (under MPI: a file system every rank sees).
#pragma once
#include <string>
#include <vector>

#include "initial_weights.hpp"

namespace twolayer::tool {

/// Creates dir (and its parents) for option; throws usage_error when it cannot.
void make_output_dir(const std::string& dir, const std::string& option);

/// The directory of chain j under dir: dir/chain_j, created.
std::string chain_dir(const std::string& dir, long job, const std::string& option);

/// Writes W.npy (P x N), v.npy (P), W_star.npy (P* x N), v_star.npy (P*) of w into dir.
void save_weights(const std::string& dir, const initial_weights& w);

/// The order parameters of one chain at its report times, written at the end as t.npy (R),
/// Q.npy (R x P x P), R.npy (R x P x P*), T.npy (R x P* x P*), R the number of snapshots.
class order_snapshots {
public:
    /// Adds the snapshot of w at time t.
    void add(double t, const initial_weights& w);
    /// Writes the four files into dir.
    void write(const std::string& dir) const;

private:
    long P_ = 0, P_star_ = 0;
    std::vector<double> t_, Q_, R_, T_;
};

}  // namespace twolayer::tool
