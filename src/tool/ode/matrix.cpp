#include "matrix.hpp"

#include <cmath>
#include <stdexcept>

namespace twolayer::tool::ode {

namespace {
void require(bool ok, const char* what) {
    if (!ok) throw std::logic_error(std::string("ode::matrix: ") + what);
}
}  // namespace

matrix operator*(const matrix& x, const matrix& y) {
    require(x.cols == y.rows, "product of mismatched shapes");
    matrix z(x.rows, y.cols);
    for (long i = 0; i < x.rows; ++i)
        for (long k = 0; k < x.cols; ++k) {
            const double xik = x(i, k);
            for (long j = 0; j < y.cols; ++j) z(i, j) += xik * y(k, j);
        }
    return z;
}

matrix operator+(const matrix& x, const matrix& y) {
    require(x.rows == y.rows && x.cols == y.cols, "sum of mismatched shapes");
    matrix z = x;
    for (std::size_t i = 0; i < z.a.size(); ++i) z.a[i] += y.a[i];
    return z;
}

matrix operator-(const matrix& x, const matrix& y) {
    require(x.rows == y.rows && x.cols == y.cols, "difference of mismatched shapes");
    matrix z = x;
    for (std::size_t i = 0; i < z.a.size(); ++i) z.a[i] -= y.a[i];
    return z;
}

matrix operator*(double s, const matrix& x) {
    matrix z = x;
    for (double& e : z.a) e *= s;
    return z;
}

matrix transpose(const matrix& x) {
    matrix z(x.cols, x.rows);
    for (long i = 0; i < x.rows; ++i)
        for (long j = 0; j < x.cols; ++j) z(j, i) = x(i, j);
    return z;
}

matrix identity(long n) {
    matrix z(n, n);
    for (long i = 0; i < n; ++i) z(i, i) = 1;
    return z;
}

matrix diagonal(const std::vector<double>& d) {
    const long n = long(d.size());
    matrix z(n, n);
    for (long i = 0; i < n; ++i) z(i, i) = d[std::size_t(i)];
    return z;
}

double trace(const matrix& x) {
    require(x.rows == x.cols, "trace of a non-square matrix");
    double s = 0;
    for (long i = 0; i < x.rows; ++i) s += x(i, i);
    return s;
}

double max_abs_difference(const matrix& x, const matrix& y) {
    require(x.rows == y.rows && x.cols == y.cols, "comparison of mismatched shapes");
    double m = 0;
    for (std::size_t i = 0; i < x.a.size(); ++i) m = std::fmax(m, std::fabs(x.a[i] - y.a[i]));
    return m;
}

}  // namespace twolayer::tool::ode
