// The extreme eigenvalues of a dense symmetric matrix (the population Hessian of `twolayer
// population`: at most a few hundred parameters), by Eigen's SelfAdjointEigenSolver.
#pragma once
#include <vector>

namespace twolayer::tool::population_gd {

/// Every eigenvalue of the symmetric dim x dim matrix h (row-major), ascending.
std::vector<double> symmetric_eigenvalues(const std::vector<double>& h, long dim);

}  // namespace twolayer::tool::population_gd
