#include "spectrum.hpp"

#include <Eigen/Dense>

namespace twolayer::tool::population_gd {

std::vector<double> symmetric_eigenvalues(const std::vector<double>& h, long dim) {
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> m(h.data(), dim, dim);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(m, Eigen::EigenvaluesOnly);
    const Eigen::VectorXd& ev = solver.eigenvalues();  // ascending
    return std::vector<double>(ev.data(), ev.data() + ev.size());
}

}  // namespace twolayer::tool::population_gd
