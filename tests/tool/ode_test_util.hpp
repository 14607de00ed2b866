// Helpers of the ODE tests: Monte-Carlo means with their standard errors, correlated Gaussian
// fields, and a student/teacher pair of the library whose one-step SGD changes are measured.
#pragma once
#include <cmath>
#include <vector>

#include "tool/ode/matrix.hpp"
#include "tool/ode/state.hpp"
#include "twolayer/teacher/rng.hpp"

namespace ode_test {

using twolayer::tool::ode::matrix;
using twolayer::tool::ode::order_state;

/// Running mean and variance of several quantities (Welford), for means with standard errors.
class mc_mean {
public:
    explicit mc_mean(std::size_t n) : mean_(n, 0.0), m2_(n, 0.0) {}
    void add(const std::vector<double>& x) {
        ++count_;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double d = x[i] - mean_[i];
            mean_[i] += d / double(count_);
            m2_[i] += d * (x[i] - mean_[i]);
        }
    }
    double mean(std::size_t i) const { return mean_[i]; }
    /// The standard error of mean(i).
    double se(std::size_t i) const { return std::sqrt(m2_[i] / double(count_ - 1) / double(count_)); }

private:
    std::vector<double> mean_, m2_;
    long count_ = 0;
};

/// The lower Cholesky factor L of a symmetric positive definite C (C = L L^T).
inline matrix cholesky(const matrix& C) {
    matrix L(C.rows, C.cols);
    for (long i = 0; i < C.rows; ++i)
        for (long j = 0; j <= i; ++j) {
            double s = C(i, j);
            for (long k = 0; k < j; ++k) s -= L(i, k) * L(j, k);
            L(i, j) = i == j ? std::sqrt(s) : s / L(j, j);
        }
    return L;
}

/// z = L e with e standard Gaussian: fields of covariance L L^T.
inline void draw_fields(const matrix& L, twolayer::gaussian_rng& g, std::vector<double>& z) {
    std::vector<double> e(std::size_t(L.rows));
    for (double& x : e) x = g.next();
    z.assign(std::size_t(L.rows), 0.0);
    for (long i = 0; i < L.rows; ++i)
        for (long k = 0; k <= i; ++k) z[std::size_t(i)] += L(i, k) * e[std::size_t(k)];
}

/// A covariance matrix with distinct, sizeable correlations: B B^T / n + 0.2 I for a random n x n B.
inline matrix random_covariance(long n, std::uint64_t seed) {
    twolayer::gaussian_rng g(seed, 0);
    matrix B(n, n);
    for (double& b : B.a) b = g.next();
    matrix C = B * twolayer::tool::ode::transpose(B);
    for (double& c : C.a) c /= double(n);
    for (long i = 0; i < n; ++i) C(i, i) += 0.2;
    return C;
}

}  // namespace ode_test
