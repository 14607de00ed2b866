// Standard normal samples a buffer at a time, for inputs drawn in bulk (x of a teacher-student
// step). gaussian_rng draws one polar-method pair at a time, with a rejection loop and a double
// logarithm series: fine for a microcontroller's few samples, slow for 2048 inputs a step on a
// vector machine. This sampler is branch-free, so the compiler vectorizes its loops:
//   Philox4x32-10 on consecutive counters, structure of arrays (a plain loop over blocks), then
//   Box-Muller with the logarithm, sine and cosine written here from +, -, *, / and sqrt.
// The bits are the same on every target for a given (seed, stream), as for gaussian_rng (IEEE
// operations are correctly rounded; integer work is exact; the library's -ffp-contract=off keeps
// the compiler from fusing differently per target). Range reductions are exact because both
// uniforms are integers: the exponent of u1 comes from its bit pattern, the quadrant of the angle
// from its top bits.
//
// The sequence: block j of (seed, stream) is philox4x32::block({j, j >> 32, stream, stream >> 32},
// seed, seed >> 32) = (w0, w1, w2, w3).
//   float:  4 samples (r0 cos t0, r0 sin t0, r1 cos t1, r1 sin t1), r_i from w_i, t_i from w_{i+2},
//           24 bits each: u1 = (k + 1) 2^-24 with k = w >> 8, t = 2 pi k' 2^-24; computed in float.
//   double: 2 samples (r cos t, r sin t), r from (w0 << 32 | w1), t from (w2 << 32 | w3), 53 bits
//           each; computed in double.
// So float and double streams differ (unlike gaussian_rng, whose floats are its doubles rounded),
// and neither equals gaussian_rng's. fill(out, n) hands out the next n samples: the stream does not
// depend on how it is cut into calls.
// Accuracy (tests/test_gaussian_block.cpp measures it against Box-Muller in double with <cmath>):
// a few ulp of the sample's magnitude scale. Tails: |z| <= sqrt(2 ln 2^24) = 5.77 in float (the
// normal puts 8e-9 of its mass beyond), 8.57 in double (1e-17).
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "twolayer/core/config.hpp"
#include "twolayer/core/log_series.hpp"
#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/core/philox.hpp"

namespace twolayer {

namespace detail_gb {

// Blocks per pass: one AVX-512 register of 32-bit lanes; the scratch arrays stay small enough for
// a microcontroller's stack (1 KB for float).
constexpr index_t chunk_blocks = 16;

using words = std::uint32_t[4][chunk_blocks];

// Philox4x32-10 of counters pos .. pos + nb - 1 (nb <= chunk_blocks), word k of block i in x[k][i].
// The same rounds as philox4x32::block, written as a loop over independent blocks so it vectorizes.
// On 64-bit targets each 32-bit word travels in a 64-bit lane: the 32 x 32 -> 64 products are then
// lane-wise (x86 has no 32-bit multiply-high; in 32-bit lanes GCC 12 spends more shuffles on
// splitting the products than on the rounds: docs/BENCHMARKS.md, the drawn-x case).
// The values never exceed 32 bits, so both lane widths give the same words.
inline void philox(std::uint64_t pos, index_t nb, std::uint32_t s0, std::uint32_t s1, std::uint32_t key0,
                   std::uint32_t key1, words& x) {
    using lane = std::conditional_t<(sizeof(void*) >= 8), std::uint64_t, std::uint32_t>;
    using u32 = std::uint32_t;
    using u64 = std::uint64_t;
    for (index_t i = 0; i < nb; ++i) {
        const u64 p = pos + i;
        lane c0 = u32(p), c1 = u32(p >> 32), c2 = s0, c3 = s1;
        lane k0 = key0, k1 = key1;
#pragma GCC unroll 10
        for (int round = 0; round < 10; ++round) {
            const u64 p0 = u64(0xD2511F53u) * u64(u32(c0));
            const u64 p1 = u64(0xCD9E8D57u) * u64(u32(c2));
            const lane n0 = lane(u32(p1 >> 32)) ^ c1 ^ k0;
            const lane n2 = lane(u32(p0 >> 32)) ^ c3 ^ k1;
            c0 = n0; c1 = u32(p1); c2 = n2; c3 = u32(p0);
            k0 = u32(k0 + 0x9E3779B9u);
            k1 = u32(k1 + 0xBB67AE85u);
        }
        x[0][i] = u32(c0); x[1][i] = u32(c1); x[2][i] = u32(c2); x[3][i] = u32(c3);
    }
}

// -2 ln(u) for u = k 2^-24, k in [1, 2^24] (exact in float). u = m 2^e, m in [sqrt(1/2), sqrt 2)
// from the bit pattern; ln m = 2 atanh(z), z = (m - 1)/(m + 1), |z| < 0.172, series to z^9
// (truncation 2 z^11/11 < 1e-9, below float rounding). m - 1 is exact, so u near 1 keeps its
// relative accuracy.
inline float minus_two_log_u24(std::int32_t k) {
    const float f = float(k);
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    std::int32_t e = std::int32_t(bits >> 23) - 127 - 24;
    const std::uint32_t mb = (bits & 0x007fffffu) | 0x3f800000u;
    float m;
    std::memcpy(&m, &mb, 4);
    const bool high = m > 1.41421356f;
    m = high ? m * 0.5f : m;
    e = high ? e + 1 : e;
    return -2.0f * math::log_reduced<5>(m, float(e));
}

// The same in double for u = k 2^-53, k in [1, 2^53]: series to z^21 (truncation below 1e-18).
inline double minus_two_log_u53(std::int64_t k) {
    const double f = double(k);
    std::uint64_t bits;
    std::memcpy(&bits, &f, 8);
    std::int64_t e = std::int64_t(bits >> 52) - 1023 - 53;
    const std::uint64_t mb = (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
    double m;
    std::memcpy(&m, &mb, 8);
    const bool high = m > 1.4142135623730950488;
    m = high ? m * 0.5 : m;
    e = high ? e + 1 : e;
    return -2.0 * math::log_reduced<11>(m, double(e));
}

// sqrt for x >= 0 from +, * and /: <cmath>'s sqrt keeps a branch for errno (x < 0) that stops
// the vectorizer unless the build says -fno-math-errno. A bit-pattern first guess (relative error
// < 3.5%) and Newton steps y = (y + x/y)/2, each squaring the error: three in float, four in
// double, end within an ulp or so of the correctly rounded root (tests/test_gaussian_block.cpp).
inline float sqrt_nonneg(float x) {
    std::uint32_t bits;
    std::memcpy(&bits, &x, 4);
    bits = 0x1fbd1df5u + (bits >> 1);
    float y;
    std::memcpy(&y, &bits, 4);
    y = 0.5f * (y + x / y);
    y = 0.5f * (y + x / y);
    y = 0.5f * (y + x / y);
    return x > 0.0f ? y : 0.0f;
}

inline double sqrt_nonneg(double x) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, 8);
    bits = 0x1ff7a3bea91d9b1bull + (bits >> 1);
    double y;
    std::memcpy(&y, &bits, 8);
    y = 0.5 * (y + x / y);
    y = 0.5 * (y + x / y);
    y = 0.5 * (y + x / y);
    y = 0.5 * (y + x / y);
    return x > 0.0 ? y : 0.0;
}

// Taylor series of sin and cos on |phi| <= pi/4: float to phi^9 and phi^10 (next terms < 2e-9),
// double to phi^17 and phi^16 (next terms < 3e-18).
inline void sincos_quarter(float phi, float& s, float& c) {
    const float p2 = phi * phi;
    s = phi * (1.0f + p2 * (-1.0f / 6 + p2 * (1.0f / 120 + p2 * (-1.0f / 5040 + p2 * (1.0f / 362880)))));
    c = 1.0f + p2 * (-0.5f + p2 * (1.0f / 24 + p2 * (-1.0f / 720 + p2 * (1.0f / 40320 + p2 * (-1.0f / 3628800)))));
}

inline void sincos_quarter(double phi, double& s, double& c) {
    const double p2 = phi * phi;
    double ps = 1.0 / 355687428096000.0;  // 1/17!
    ps = -1.0 / 1307674368000.0 + p2 * ps;
    ps = 1.0 / 6227020800.0 + p2 * ps;
    ps = -1.0 / 39916800.0 + p2 * ps;
    ps = 1.0 / 362880.0 + p2 * ps;
    ps = -1.0 / 5040.0 + p2 * ps;
    ps = 1.0 / 120.0 + p2 * ps;
    ps = -1.0 / 6.0 + p2 * ps;
    s = phi * (1.0 + p2 * ps);
    double pc = 1.0 / 20922789888000.0;  // 1/16!
    pc = -1.0 / 87178291200.0 + p2 * pc;
    pc = 1.0 / 479001600.0 + p2 * pc;
    pc = -1.0 / 3628800.0 + p2 * pc;
    pc = 1.0 / 40320.0 + p2 * pc;
    pc = -1.0 / 720.0 + p2 * pc;
    pc = 1.0 / 24.0 + p2 * pc;
    pc = -0.5 + p2 * pc;
    c = 1.0 + p2 * pc;
}

// (r cos t, r sin t) from the quadrant q of t and the angle phi left in it, |phi| <= pi/4:
// cos(q pi/2 + phi) and sin(...) are +-cos phi or +-sin phi.
template <class T>
inline void rotate(T r, std::uint32_t q, T phi, T& zc, T& zs) {
    T s, c;
    sincos_quarter(phi, s, c);
    const bool swap = (q & 1u) != 0;
    const T a = swap ? s : c;
    const T b = swap ? c : s;
    const T rc = ((q + 1u) & 2u) != 0 ? -r : r;
    const T rs = (q & 2u) != 0 ? -r : r;
    zc = rc * a;
    zs = rs * b;
}

// Box-Muller on nb pairs of words: radius from wr, angle from wa.
inline void box_muller(const std::uint32_t* wr, const std::uint32_t* wa, index_t nb, float* zc, float* zs) {
    for (index_t i = 0; i < nb; ++i) {
        const float r = sqrt_nonneg(minus_two_log_u24(std::int32_t(wr[i] >> 8) + 1));
        // Angle 2 pi k/2^24 = quadrant q (rounded to nearest) + phi, |phi| <= pi/4.
        const std::uint32_t v = (wa[i] >> 8) + (1u << 21);
        const std::uint32_t q = (v >> 22) & 3u;
        const float phi = float(std::int32_t(v & 0x3fffffu) - (1 << 21)) * (3.14159265358979323846f / 8388608.0f);  // (pi/2) 2^-22
        rotate(r, q, phi, zc[i], zs[i]);
    }
}

inline void box_muller(const std::uint32_t* w0, const std::uint32_t* w1, const std::uint32_t* w2,
                       const std::uint32_t* w3, index_t nb, double* zc, double* zs) {
    for (index_t i = 0; i < nb; ++i) {
        const std::uint64_t a = (std::uint64_t(w0[i]) << 32) | w1[i];
        const std::uint64_t b = (std::uint64_t(w2[i]) << 32) | w3[i];
        const double r = sqrt_nonneg(minus_two_log_u53(std::int64_t(a >> 11) + 1));
        const std::uint64_t v = ((b >> 11) + (std::uint64_t(1) << 50)) & ((std::uint64_t(1) << 53) - 1);
        const std::uint32_t q = std::uint32_t(v >> 51);
        const double phi = double(std::int64_t(v & ((std::uint64_t(1) << 51) - 1)) - (std::int64_t(1) << 50)) *
                           (3.14159265358979323846 / 4503599627370496.0);  // (pi/2) 2^-51
        rotate(r, q, phi, zc[i], zs[i]);
    }
}

}  // namespace detail_gb

// Standard normal samples of type T (float or double), a buffer at a time: fill(out, n) hands
// out the next n samples of the (seed, stream) sequence described above, the same bits on every
// target and however the sequence is cut into calls.
template <class T>
class gaussian_block {
    static_assert(std::is_same<T, float>::value || std::is_same<T, double>::value,
                  "gaussian_block: float or double");
    static constexpr bool is_float = std::is_same<T, float>::value;

public:
    static constexpr index_t per_block = is_float ? 4 : 2;  // samples per Philox block

    explicit gaussian_block(std::uint64_t seed = 0, std::uint64_t stream = 0)
        : key0_(std::uint32_t(seed)), key1_(std::uint32_t(seed >> 32)), s0_(std::uint32_t(stream)),
          s1_(std::uint32_t(stream >> 32)) {}

    // The next n samples of the stream into out[0 .. n).
    void fill(T* out, index_t n) {
        while (n > 0 && used_ < per_block) { *out++ = spare_[used_++]; --n; }
        while (n >= per_block) {
            index_t nb = n / per_block;
            if (nb > detail_gb::chunk_blocks) nb = detail_gb::chunk_blocks;
            blocks(nb, out);
            out += nb * per_block;
            n -= nb * per_block;
        }
        if (n > 0) {
            blocks(1, spare_);
            used_ = 0;
            while (n > 0) { *out++ = spare_[used_++]; --n; }
        }
    }
    template <index_t E>
    void fill(vec_view<T, E> v) { fill(v.data(), v.size()); }

    // One sample, the next of the same stream: so the sampler also serves init_network and other
    // users of gaussian_rng's interface (a float image then needs no software double at all).
    template <class U = T>
    U gaussian() {
        static_assert(std::is_same<U, T>::value, "gaussian_block<T>::gaussian: draws T only");
        T v;
        fill(&v, 1);
        return v;
    }

    std::uint64_t position() const { return pos_; }  // Philox blocks consumed

private:
    std::uint32_t key0_, key1_, s0_, s1_;
    std::uint64_t pos_ = 0;
    T spare_[per_block] = {};
    index_t used_ = per_block;

    // Always a whole chunk (the loops then have constant trip counts and no masked remainders);
    // only the first nb blocks are handed out and consumed.
    void blocks(index_t nb, T* out) {
        constexpr index_t B = detail_gb::chunk_blocks;
        alignas(64) detail_gb::words x;
        detail_gb::philox(pos_, B, s0_, s1_, key0_, key1_, x);
        pos_ += nb;
        if constexpr (is_float) {
            alignas(64) float c0[B], s0[B], c1[B], s1[B];
            detail_gb::box_muller(x[0], x[2], B, c0, s0);
            detail_gb::box_muller(x[1], x[3], B, c1, s1);
            for (index_t i = 0; i < nb; ++i) {
                out[4 * i] = c0[i]; out[4 * i + 1] = s0[i]; out[4 * i + 2] = c1[i]; out[4 * i + 3] = s1[i];
            }
        } else {
            alignas(64) double c[B], s[B];
            detail_gb::box_muller(x[0], x[1], x[2], x[3], B, c, s);
            for (index_t i = 0; i < nb; ++i) { out[2 * i] = c[i]; out[2 * i + 1] = s[i]; }
        }
    }
};

}  // namespace twolayer
