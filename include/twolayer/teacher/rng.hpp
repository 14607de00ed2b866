// Portable counter-based random numbers: Philox4x32-10 (Salmon et al., SC'11) and a Gaussian
// sampler whose bits are the same on every target for a given (seed, stream). The Gaussian path
// uses only +, -, *, / and sqrt (all correctly rounded in IEEE arithmetic) and a logarithm
// written here, so no C library's libm enters the bits. Build with -ffp-contract=off (the
// library's CMake target sets it) so the compiler does not fuse operations differently per target.
#pragma once
#include <cstdint>

#include "twolayer/core/math.hpp"

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
    const double z = (m - 1.0) / (m + 1.0);
    const double z2 = z * z;
    // 1/k as constants: the same correctly rounded values a run-time division gives, without
    // twelve divisions per sample (software double on Cortex-M4/M33 makes each one costly).
    constexpr double inv_odd[] = {1.0 / 1,  1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9,  1.0 / 11, 1.0 / 13,
                                  1.0 / 15, 1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25};
    double s = inv_odd[12];
    for (int i = 11; i >= 0; --i) s = inv_odd[i] + z2 * s;
    const double ln2_hi = 6.93147180369123816490e-01;  // upper bits of log 2, exact product with e
    const double ln2_lo = 1.90821492927058770002e-10;
    return (double(e) * ln2_hi + 2.0 * z * s) + double(e) * ln2_lo;
}

}  // namespace detail

// Philox4x32 with 10 rounds. The key is the seed, the counter's upper half the stream, its lower
// half the position: every (seed, stream) is an independent sequence of 2^64 blocks.
class philox4x32 {
public:
    philox4x32(std::uint64_t seed = 0, std::uint64_t stream = 0)
        : key0_(std::uint32_t(seed)), key1_(std::uint32_t(seed >> 32)),
          stream0_(std::uint32_t(stream)), stream1_(std::uint32_t(stream >> 32)) {}

    std::uint32_t next_u32() {
        if (used_ == 4) refill();
        return block_[used_++];
    }
    std::uint64_t next_u64() {
        const std::uint64_t hi = next_u32();
        return (hi << 32) | next_u32();
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform01() { return double(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
    // Uniform in [0, n).
    std::uint32_t below(std::uint32_t n) { return std::uint32_t((std::uint64_t(next_u32()) * n) >> 32); }

    // The raw block function, exposed for tests against published answers.
    static void block(const std::uint32_t ctr_in[4], std::uint32_t k0, std::uint32_t k1,
                      std::uint32_t out[4]) {
        std::uint32_t c0 = ctr_in[0], c1 = ctr_in[1], c2 = ctr_in[2], c3 = ctr_in[3];
        for (int round = 0; round < 10; ++round) {
            const std::uint64_t p0 = std::uint64_t(0xD2511F53u) * c0;
            const std::uint64_t p1 = std::uint64_t(0xCD9E8D57u) * c2;
            const std::uint32_t n0 = std::uint32_t(p1 >> 32) ^ c1 ^ k0;
            const std::uint32_t n2 = std::uint32_t(p0 >> 32) ^ c3 ^ k1;
            c0 = n0; c1 = std::uint32_t(p1); c2 = n2; c3 = std::uint32_t(p0);
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
    }

private:
    std::uint32_t key0_, key1_, stream0_, stream1_;
    std::uint64_t position_ = 0;
    std::uint32_t block_[4] = {0, 0, 0, 0};
    int used_ = 4;

    void refill() {
        const std::uint32_t ctr[4] = {std::uint32_t(position_), std::uint32_t(position_ >> 32), stream0_,
                                      stream1_};
        block(ctr, key0_, key1_, block_);
        ++position_;
        used_ = 0;
    }
};

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
