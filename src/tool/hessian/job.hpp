// One job of `twolayer hessian`: the problem of (alpha, seed index), the k extreme eigenpairs of
// its empirical Hessian by Lanczos with their residual bounds and teacher overlaps, and on demand
// every Ritz value and the SLQ quadrature of the density.
#pragma once
#include <string>
#include <vector>

#include "../job_runner.hpp"
#include "settings.hpp"
#include "slq.hpp"

namespace twolayer::tool::hessian {

/// One extreme eigenpair, measured.
struct eigen_row {
    bool largest = false;  ///< which end: false = smallest
    long rank = 0;         ///< 0 = the most extreme
    double value = 0, residual_bound = 0;
    double overlap = 0, first_layer_weight = 0;  ///< overlap.hpp (NaN / 0 without the first layer)
};

/// What a job found. ok false: a Hessian product was not finite (message says where).
struct job_outcome {
    long M = 0;
    std::vector<eigen_row> rows;      ///< the smallest, rank 0 .. k-1, then the largest
    std::vector<double> ritz_values;  ///< every Ritz value, ascending (settings::ritz_values)
    spectral_nodes nodes;             ///< SLQ (settings::density)
    bool ok = true;
    std::string message;
};

/// Runs the job of alpha and seed index s: min(k, Ritz pairs) eigenpairs at each end after
/// min(--lanczos-steps, dimension) steps from a Gaussian start (stream 7 of stream_of(s, ...),
/// which then gives the SLQ probes). Reports its progress in products done.
job_outcome run_job(const settings& st, double alpha, long seed_index, job_progress& progress);

}  // namespace twolayer::tool::hessian
