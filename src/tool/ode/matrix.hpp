// Small dense matrices of doubles for the order parameters (P x P, P x P*, P* x P*): the ODEs are
// a handful of products of such matrices, so a few plain loops serve better than a dependency.
#pragma once
#include <cstddef>
#include <vector>

namespace twolayer::tool::ode {

/// A rows x cols matrix of doubles, row-major.
struct matrix {
    long rows = 0, cols = 0;
    std::vector<double> a;

    matrix() = default;
    /// A rows x cols matrix filled with `fill`.
    matrix(long r, long c, double fill = 0) : rows(r), cols(c), a(std::size_t(r * c), fill) {}
    /// A rows x cols matrix holding `values` row-major (values.size() must be rows * cols).
    matrix(long r, long c, std::vector<double> values) : rows(r), cols(c), a(std::move(values)) {}

    double& operator()(long i, long j) { return a[std::size_t(i * cols + j)]; }
    double operator()(long i, long j) const { return a[std::size_t(i * cols + j)]; }
};

/// The matrix product x y (x.cols == y.rows).
matrix operator*(const matrix& x, const matrix& y);
/// Element-wise sum and difference (same shapes).
matrix operator+(const matrix& x, const matrix& y);
matrix operator-(const matrix& x, const matrix& y);
/// s x.
matrix operator*(double s, const matrix& x);
/// x s.
inline matrix operator*(const matrix& x, double s) { return s * x; }
/// x^T.
matrix transpose(const matrix& x);
/// The n x n identity.
matrix identity(long n);
/// diag(d).
matrix diagonal(const std::vector<double>& d);
/// The sum of the diagonal (square x).
double trace(const matrix& x);
/// The largest |x_ij - y_ij| (same shapes).
double max_abs_difference(const matrix& x, const matrix& y);

}  // namespace twolayer::tool::ode
