// The little linear algebra the conserved quantities of the quadratic flow need: functions of a
// symmetric matrix through its eigendecomposition (cyclic Jacobi: P is small), and the polar
// factor.
#pragma once
#include <functional>
#include <vector>

#include "matrix.hpp"

namespace twolayer::tool::ode {

/// Eigenvalues and orthonormal eigenvectors (the columns of `vectors`) of a symmetric matrix.
struct eigen_decomposition {
    std::vector<double> values;
    matrix vectors;
};

/// The eigendecomposition of symmetric s (cyclic Jacobi rotations to machine precision).
eigen_decomposition symmetric_eigen(const matrix& s);

/// f(s) = V diag(f(lambda)) V^T for symmetric s: the inverse, the inverse square root, exp(s).
matrix symmetric_function(const matrix& s, const std::function<double(double)>& f);

/// The polar factor U = R (R^T R)^{-1/2} of R (rows >= cols, full column rank): the matrix with
/// orthonormal columns nearest to R, R = U (R^T R)^{1/2}.
matrix polar_factor(const matrix& R);

}  // namespace twolayer::tool::ode
