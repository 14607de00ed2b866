#include "erf_integrals.hpp"

#include <cmath>

namespace twolayer::tool::ode {

namespace {
constexpr double pi = 3.14159265358979323846;

// asin of a ratio that rounding may push a hair past +-1 (perfectly correlated fields).
double asin_clamped(double x) { return std::asin(x > 1 ? 1 : (x < -1 ? -1 : x)); }
}  // namespace

double I2(const matrix& C, long a, long b) {
    return (2 / pi) * asin_clamped(C(a, b) / std::sqrt((1 + C(a, a)) * (1 + C(b, b))));
}

double J2(const matrix& C, long a, long b) {
    return (2 / pi) / std::sqrt((1 + C(a, a)) * (1 + C(b, b)) - C(a, b) * C(a, b));
}

double I3(const matrix& C, long a, long b, long c) {
    const double L3 = (1 + C(a, a)) * (1 + C(c, c)) - C(a, c) * C(a, c);
    return (2 / pi) / std::sqrt(L3) * (C(b, c) * (1 + C(a, a)) - C(a, b) * C(a, c)) / (1 + C(a, a));
}

double I4(const matrix& C, long a, long b, long c, long d) {
    const double caa = 1 + C(a, a), cbb = 1 + C(b, b);
    const double cab = C(a, b), cac = C(a, c), cad = C(a, d), cbc = C(b, c), cbd = C(b, d);
    const double L4 = caa * cbb - cab * cab;
    const double L0 = L4 * C(c, d) - cbc * cbd * caa - cac * cad * cbb + cab * cac * cbd + cab * cad * cbc;
    const double L1 = L4 * (1 + C(c, c)) - cbc * cbc * caa - cac * cac * cbb + 2 * cab * cac * cbc;
    const double L2 = L4 * (1 + C(d, d)) - cbd * cbd * caa - cad * cad * cbb + 2 * cab * cad * cbd;
    return (4 / (pi * pi)) / std::sqrt(L4) * asin_clamped(L0 / std::sqrt(L1 * L2));
}

I4_table::I4_table(const matrix& C, long a, long b)
    : C_(C), caa_(1 + C(a, a)), cbb_(1 + C(b, b)), cab_(C(a, b)), L4_(caa_ * cbb_ - cab_ * cab_),
      prefactor_((4 / (pi * pi)) / std::sqrt(L4_)) {
    for (long c = 0; c < C.rows; ++c) {
        const double cac = C(a, c), cbc = C(b, c);
        ac_.push_back(cac);
        bc_.push_back(cbc);
        sqrt_L1_.push_back(std::sqrt(L4_ * (1 + C(c, c)) - cbc * cbc * caa_ - cac * cac * cbb_ + 2 * cab_ * cac * cbc));
    }
}

double I4_table::operator()(long c, long d) const {
    const std::size_t ci = std::size_t(c), di = std::size_t(d);
    const double L0 = L4_ * C_(c, d) - bc_[ci] * bc_[di] * caa_ - ac_[ci] * ac_[di] * cbb_ +
                      cab_ * (ac_[ci] * bc_[di] + ac_[di] * bc_[ci]);
    return prefactor_ * asin_clamped(L0 / (sqrt_L1_[ci] * sqrt_L1_[di]));
}

}  // namespace twolayer::tool::ode
