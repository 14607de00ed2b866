// The extreme eigenvalues of a dense symmetric matrix (the population Hessian of `twolayer
// population`: at most a few hundred parameters), by Eigen's SelfAdjointEigenSolver.
#pragma once
#include <vector>

namespace twolayer::tool::population_gd {

/// The smallest and largest eigenvalue of the symmetric dim x dim matrix h (row-major).
struct extreme_eigenvalues {
    double min = 0, max = 0;
};
extreme_eigenvalues symmetric_extremes(const std::vector<double>& h, long dim);

}  // namespace twolayer::tool::population_gd
