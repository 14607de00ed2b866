#include "linalg.hpp"

#include <cmath>
#include <stdexcept>

namespace twolayer::tool::ode {

namespace {

double off_diagonal_norm(const matrix& a) {
    double s = 0;
    for (long i = 0; i < a.rows; ++i)
        for (long j = 0; j < a.cols; ++j)
            if (i != j) s += a(i, j) * a(i, j);
    return std::sqrt(s);
}

// One Jacobi rotation in the (p, q) plane that zeroes a_pq, applied to a and accumulated in v.
void rotate(matrix& a, matrix& v, long p, long q) {
    if (a(p, q) == 0) return;
    const double theta = (a(q, q) - a(p, p)) / (2 * a(p, q));
    const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
    const double c = 1 / std::sqrt(t * t + 1), s = t * c;
    for (long k = 0; k < a.rows; ++k) {  // a <- a J
        const double akp = a(k, p), akq = a(k, q);
        a(k, p) = c * akp - s * akq;
        a(k, q) = s * akp + c * akq;
    }
    for (long k = 0; k < a.rows; ++k) {  // a <- J^T a
        const double apk = a(p, k), aqk = a(q, k);
        a(p, k) = c * apk - s * aqk;
        a(q, k) = s * apk + c * aqk;
    }
    for (long k = 0; k < v.rows; ++k) {
        const double vkp = v(k, p), vkq = v(k, q);
        v(k, p) = c * vkp - s * vkq;
        v(k, q) = s * vkp + c * vkq;
    }
}

}  // namespace

eigen_decomposition symmetric_eigen(const matrix& s) {
    if (s.rows != s.cols) throw std::logic_error("symmetric_eigen: not square");
    matrix a = s, v = identity(s.rows);
    double scale = 0;
    for (double e : s.a) scale = std::fmax(scale, std::fabs(e));
    for (int sweep = 0; sweep < 100 && off_diagonal_norm(a) > 1e-15 * scale; ++sweep)
        for (long p = 0; p < a.rows; ++p)
            for (long q = p + 1; q < a.rows; ++q) rotate(a, v, p, q);
    eigen_decomposition d{std::vector<double>(std::size_t(s.rows)), v};
    for (long i = 0; i < s.rows; ++i) d.values[std::size_t(i)] = a(i, i);
    return d;
}

matrix symmetric_function(const matrix& s, const std::function<double(double)>& f) {
    const eigen_decomposition d = symmetric_eigen(s);
    std::vector<double> fl;
    for (double l : d.values) fl.push_back(f(l));
    return d.vectors * diagonal(fl) * transpose(d.vectors);
}

matrix polar_factor(const matrix& R) {
    const matrix inv_sqrt = symmetric_function(transpose(R) * R, [](double l) { return 1 / std::sqrt(l); });
    return R * inv_sqrt;
}

}  // namespace twolayer::tool::ode
