// Stochastic Lanczos quadrature: the spectral density of a symmetric operator from a few random
// probes. For a probe z, m Lanczos steps from z give T_m; its eigenvalues theta_i (the Ritz
// values) and the squared first components tau_i of its unit eigenvectors are the m-point Gauss
// quadrature of the spectral measure sum_j (u_j . z / |z|)^2 delta(lambda - lambda_j), which has
// mass 1 and, for Rademacher z (E z z^T = I), expectation (1/n) sum_j delta(lambda - lambda_j).
// Averaging over the probes estimates the eigenvalue density; its mean is exactly the average of
// z^T H z / |z|^2, an unbiased estimate of tr(H) / n.
#pragma once
#include <functional>
#include <vector>

#include "twolayer/analysis/lanczos.hpp"
#include "twolayer/teacher/rng.hpp"

namespace twolayer::tool::hessian {

/// The quadrature: nodes and their weights (the weights sum to 1).
struct spectral_nodes {
    std::vector<double> value, weight;
};

/// One product of the operator (out = H in).
using product_function = std::function<void(vec_view<const double>, vec_view<double>)>;

/// The average over `probes` Rademacher vectors (signs of rng's draws, n at a time) of each
/// probe's quadrature after min(steps, n) Lanczos steps on lz (whose capacity must hold n and
/// steps). Returns false, with the nodes so far, when lz stops on a non-finite product.
bool slq_nodes(const product_function& op, index_t n, long probes, index_t steps, gaussian_rng& rng, lanczos_ref& lz,
               spectral_nodes& out);

/// One bin of a density histogram.
struct density_bin {
    double lo = 0, hi = 0, density = 0;
};

/// The histogram of nodes in `bins` equal bins over [min value, max value] (the last bin closed;
/// a single point x gets the range [x - 1/2, x + 1/2] scaled by max(1, |x|)): each bin's
/// density is its weight over its width, so sum density (hi - lo) = the total weight (1).
std::vector<density_bin> histogram(const spectral_nodes& nodes, long bins);

}  // namespace twolayer::tool::hessian
