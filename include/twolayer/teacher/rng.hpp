// A Gaussian sampler on the library's Philox stream (core/philox.hpp) whose bits are the same on
// every target for a given (seed, stream). The Gaussian path uses only +, -, *, / and sqrt (all correctly rounded in IEEE arithmetic) and a logarithm
// written here, so no C library's libm enters the bits. Build with -ffp-contract=off (the
// library's CMake target sets it) so the compiler does not fuse operations differently per target.
#pragma once
#include <cstdint>

#include "twolayer/core/log_series.hpp"
#include "twolayer/core/math.hpp"
#include "twolayer/core/philox.hpp"

namespace twolayer {

namespace detail {

// log(x) for finite x > 0, deterministic: x = m 2^e with m in [sqrt(1/2), sqrt 2) by exact
// scaling, then log m = 2 atanh(z), z = (m - 1)/(m + 1), |z| < 0.172, by its odd series to z^25
// (truncation below 1e-20 relative).
inline double portable_log(double x) {
    int e = 0;
    double m = x;
    // Exact power-of-two scaling (multiplication by 2^k is exact away from subnormals).
    while (m >= 1.4142135623730950488) { m *= 0.5; ++e; }
    while (m < 0.70710678118654752440) { m *= 2.0; --e; }
    return math::log_reduced<13>(m, double(e));
}

}  // namespace detail

// Standard Gaussian samples by Marsaglia's polar method on philox4x32, identical bits on every
// target. Floats are the double samples rounded, so a float and a double stream with the same
// seed agree to float precision.
class gaussian_rng {
public:
    gaussian_rng(std::uint64_t seed = 0, std::uint64_t stream = 0) : u_(seed, stream) {}

    double next() {
        if (has_spare_) { has_spare_ = false; return spare_; }
        double a, b, s;
        do {
            a = 2.0 * u_.uniform01() - 1.0;
            b = 2.0 * u_.uniform01() - 1.0;
            s = a * a + b * b;
        } while (s >= 1.0 || s == 0.0);
        const double f = math::sqrt(-2.0 * detail::portable_log(s) / s);
        spare_ = b * f;
        has_spare_ = true;
        return a * f;
    }
    template <class T>
    T gaussian() { return T(next()); }

    philox4x32& uniform() { return u_; }

private:
    philox4x32 u_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace twolayer
