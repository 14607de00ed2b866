#include "spectrum.hpp"

#include <Eigen/Dense>

namespace twolayer::tool::population_gd {

extreme_eigenvalues symmetric_extremes(const std::vector<double>& h, long dim) {
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> m(h.data(), dim, dim);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(m, Eigen::EigenvaluesOnly);
    const Eigen::VectorXd& ev = solver.eigenvalues();  // ascending
    return {ev[0], ev[dim - 1]};
}

}  // namespace twolayer::tool::population_gd
