#include "overlap.hpp"

#include <cmath>
#include <limits>

namespace twolayer::tool::hessian {

namespace {
double dot(const double* a, const double* b, long n) {
    double s = 0;
    for (long j = 0; j < n; ++j) s += a[j] * b[j];
    return s;
}
}  // namespace

teacher_subspace::teacher_subspace(const initial_weights& w) : N_(w.N) {
    std::vector<double> r(std::size_t(w.N));
    for (long t = 0; t < w.P_star; ++t) {
        const double* row = w.W_star.data() + t * w.N;
        r.assign(row, row + w.N);
        const double norm0 = std::sqrt(dot(r.data(), r.data(), w.N));
        if (norm0 == 0.0) continue;
        for (int pass = 0; pass < 2; ++pass)
            for (long b = 0; b < rank(); ++b) {
                const double* e = basis_.data() + b * w.N;
                const double c = dot(e, r.data(), w.N);
                for (long j = 0; j < w.N; ++j) r[std::size_t(j)] -= c * e[j];
            }
        const double norm = std::sqrt(dot(r.data(), r.data(), w.N));
        if (norm <= 1e-12 * norm0) continue;
        for (double& x : r) x /= norm;
        basis_.insert(basis_.end(), r.begin(), r.end());
    }
}

block_overlap teacher_subspace::measure(const double* U, long P) const {
    double total = 0, inside = 0;
    for (long k = 0; k < P; ++k) {
        const double* u = U + k * N_;
        total += dot(u, u, N_);
        for (long b = 0; b < rank(); ++b) {
            const double c = dot(basis_.data() + b * N_, u, N_);
            inside += c * c;
        }
    }
    block_overlap o;
    o.weight = total;
    o.overlap = total > 0 ? std::sqrt(inside / total) : std::numeric_limits<double>::quiet_NaN();
    return o;
}

}  // namespace twolayer::tool::hessian
