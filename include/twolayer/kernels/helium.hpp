// Helium (M-profile Vector Extension, Cortex-M55) kernels. Float: four lanes per instruction,
// fused multiply-adds, and tails handled by one predicated step (VCTP) instead of scalar loops,
// so no size has a slow path; needs MVE with floating point (__ARM_FEATURE_MVE & 2). 16-bit fixed
// point: exact 64-bit multiply-accumulate reductions (integer MVE). MVE has eight vector
// registers: the row and column groups below are sized to stay within them. Every load and store
// post-increments its pointer (one instruction each). Overloads only; what is missing falls back
// to dsp's kernels, then to the scalar reference.
//
// Floors at the 16 x 64 reference shape (MVE has no multi-register load): the gemv needs a load
// of W per 4 MACs besides the FMA (0.5 per MAC, plus x), the rank-1 update a load, an FMA and a
// store per 4 (0.75 per MAC).
#pragma once
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/dsp.hpp"

#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include <cstdint>

namespace twolayer::kernels {
namespace detail_helium {

// Hides a pointer's value from the optimizer, so that a pointer bumped after each access stays a
// post-incrementing load or store (one instruction). Where GCC 12 sees accesses at constant
// offsets from one base (a loop it unrolled), it folds them into base + offset, and beyond VLDRW's
// offset range (508 bytes) it adds an ADD before every load.
// (volatile: else GCC hoists the pointer and the loads after it out of an enclosing loop when the
// start value is loop-invariant, as x is for every row block.)
template <class T>
TWOLAYER_INLINE void opaque(T*& p) {
    __asm__ volatile("" : "+r"(p));
}

// Keeps loads below it: without it GCC 12's scheduler hoists loads of later rows, needs more than
// MVE's eight vector registers, and spills to the stack.
TWOLAYER_INLINE void load_fence() { __asm__ volatile("" ::: "memory"); }

}  // namespace detail_helium

// 16-bit fixed point (q3_12, q15): VMLALDAVA multiplies eight int16 pairs and adds the products
// to a 64-bit accumulator exactly (integer MVE), 3 instructions per 8 MACs in the dot product
// against SMLALD's 2 MACs per instruction plus its loads. The sums are the scalar reference's exact
// int64 sums, so the results are bit-exact (tested).
inline constexpr bool has_helium_fixed16 = true;

namespace detail_helium_fixed {

using detail_helium::opaque;

TWOLAYER_INLINE int16x8_t load(const std::int16_t*& p) {
    const int16x8_t v = vld1q_s16(p);
    p += 8, opaque(p);
    return v;
}

inline std::int64_t dot(const std::int16_t* a, const std::int16_t* b, index_t n) {
    opaque(a), opaque(b);
    std::int64_t s = 0;
    for (index_t k = n / 8; k != 0; --k) s = vmlaldavaq_s16(s, load(a), load(b));
    if (const index_t r = n % 8) {
        const mve_pred16_t p = vctp16q(static_cast<std::uint32_t>(r));
        s = vmlaldavaq_p_s16(s, vld1q_z_s16(a, p), vld1q_z_s16(b, p), p);
    }
    return s;
}

// C(v), the same value: an int64 to float conversion is a library call on the M-profile, an int32
// one a single VCVT, and both round the same integer correctly, so the result is the same.
template <class C>
TWOLAYER_INLINE C convert(std::int64_t v) {
    return v == std::int32_t(v) ? C(std::int32_t(v)) : C(v);
}

// Rows in pairs share each load of x: two 64-bit accumulators, three pointers and the loop
// counter stay in core registers (four rows would not leave enough).
template <class C>
void gemv(const std::int16_t* w, index_t rows, index_t n, const std::int16_t* x, C* y, C s) {
    index_t i = 0;
    for (; i + 2 <= rows; i += 2) {
        // Keeps the loads of x in this loop: hoisted out of it, they would not fit the registers.
        detail_helium::load_fence();
        const std::int16_t* w0 = w + i * n;
        const std::int16_t* w1 = w0 + n;
        const std::int16_t* xj = x;
        opaque(w0), opaque(w1), opaque(xj);
        std::int64_t s0 = 0, s1 = 0;
        for (index_t k = n / 8; k != 0; --k) {
            const int16x8_t xv = load(xj);
            s0 = vmlaldavaq_s16(s0, load(w0), xv);
            s1 = vmlaldavaq_s16(s1, load(w1), xv);
        }
        if (const index_t r = n % 8) {
            const mve_pred16_t p = vctp16q(static_cast<std::uint32_t>(r));
            const int16x8_t xv = vld1q_z_s16(xj, p);
            s0 = vmlaldavaq_p_s16(s0, vld1q_z_s16(w0, p), xv, p);
            s1 = vmlaldavaq_p_s16(s1, vld1q_z_s16(w1, p), xv, p);
        }
        y[i] = C(s * convert<C>(s0));
        y[i + 1] = C(s * convert<C>(s1));
    }
    if (i < rows) y[i] = C(s * convert<C>(dot(w + i * n, x, n)));
}

template <class Q>
const std::int16_t* raw(const Q* q) {
    static_assert(sizeof(Q) == sizeof(std::int16_t), "a 16-bit fixed-point value is its raw word");
    return reinterpret_cast<const std::int16_t*>(q);
}

}  // namespace detail_helium_fixed

template <int Frac, index_t E1, index_t E2>
std::int64_t dot(vec_view<const fixed<std::int16_t, std::int32_t, Frac>, E1> a,
                 vec_view<const fixed<std::int16_t, std::int32_t, Frac>, E2> b, helium) {
    return detail_helium_fixed::dot(detail_helium_fixed::raw(a.data()), detail_helium_fixed::raw(b.data()), a.size());
}

// y_i = scale * dot_unit * (W x)_i, the scalar gemv's arithmetic on the exact sums.
template <int Frac, class C, index_t R, index_t K, index_t EX, index_t EY>
void gemv(mat_view<const fixed<std::int16_t, std::int32_t, Frac>, R, K> W,
          vec_view<const fixed<std::int16_t, std::int32_t, Frac>, EX> x, vec_view<C, EY> y, C scale, helium) {
    using Q = fixed<std::int16_t, std::int32_t, Frac>;
    detail_helium_fixed::gemv(detail_helium_fixed::raw(W.data()), W.rows(), W.cols(),
                              detail_helium_fixed::raw(x.data()), y.data(), C(scale * C(format_traits<Q>::dot_unit)));
}

}  // namespace twolayer::kernels
#else
namespace twolayer::kernels {
inline constexpr bool has_helium_fixed16 = false;
}  // namespace twolayer::kernels
#endif

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
namespace twolayer::kernels {
namespace detail_helium {

template <class T>
using enable = std::enable_if_t<std::is_same<T, float>::value, int>;

// Remainder loops count down: see kernels/neon.hpp (a false GCC 12 warning on the plain form).

TWOLAYER_INLINE float32x4_t load(const float*& p) {
    const float32x4_t v = vld1q_f32(p);
    p += 4, opaque(p);
    return v;
}

// MVE has no floating-point across-vector add.
inline float sum(float32x4_t v) {
    return (vgetq_lane_f32(v, 0) + vgetq_lane_f32(v, 1)) + (vgetq_lane_f32(v, 2) + vgetq_lane_f32(v, 3));
}

// Lane r = the sum of ar's lanes: a 4 x 4 transpose through memory (VLD4 de-interleaves) and
// three adds, 11 instructions for four rows; lane by lane, GCC 12 moves odd lanes through core
// registers, about 12 instructions per row.
TWOLAYER_INLINE float32x4_t sums(float32x4_t a0, float32x4_t a1, float32x4_t a2, float32x4_t a3) {
    float t[16];
    vst1q_f32(t, a0), vst1q_f32(t + 4, a1), vst1q_f32(t + 8, a2), vst1q_f32(t + 12, a3);
    const float32x4x4_t c = vld4q_f32(t);
    return vaddq_f32(vaddq_f32(c.val[0], c.val[1]), vaddq_f32(c.val[2], c.val[3]));
}

inline float dot(const float* a, const float* b, index_t n) {
    opaque(a), opaque(b);
    float32x4_t s0, s1;
    index_t k = n / 8;
    if (k != 0) {
        // The first step multiplies: no zeroed accumulators to add to.
        s0 = vmulq_f32(load(a), load(b));
        s1 = vmulq_f32(load(a), load(b));
        --k;
    } else {
        s0 = s1 = vdupq_n_f32(0.0f);
    }
    for (; k != 0; --k) {
        s0 = vfmaq_f32(s0, load(a), load(b));
        s1 = vfmaq_f32(s1, load(a), load(b));
    }
    if (n & 4) s1 = vfmaq_f32(s1, load(a), load(b));
    if (const index_t r = n % 4) {
        // Inactive lanes load as zero and add nothing.
        const mve_pred16_t p = vctp32q(static_cast<std::uint32_t>(r));
        s0 = vfmaq_f32(s0, vld1q_z_f32(a, p), vld1q_z_f32(b, p));
    }
    return sum(vaddq_f32(s0, s1));
}

// Four rows share each load of x: per 4 columns, 5 loads and 4 FMAs (MVE has no multi-register
// load; 4 accumulators + x + a row's block fit the 8 registers). Full vectors run unpredicated
// (GCC 12 rebuilds the predicate with four extra instructions per iteration otherwise); one
// predicated step takes the tail.
inline void gemv(const float* w, index_t rows, index_t n, const float* x, float* y, float scale) {
    index_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        const float* w0 = w + i * n;
        const float* w1 = w0 + n;
        const float* w2 = w1 + n;
        const float* w3 = w2 + n;
        const float* xj = x;
        opaque(w0), opaque(w1), opaque(w2), opaque(w3), opaque(xj);
        float32x4_t a0, a1, a2, a3;
        index_t k = n / 4;
        if (k != 0) {
            // The first block multiplies: no zeroed accumulators to add to.
            const float32x4_t xv = load(xj);
            a0 = vmulq_f32(load(w0), xv), load_fence();
            a1 = vmulq_f32(load(w1), xv), load_fence();
            a2 = vmulq_f32(load(w2), xv), load_fence();
            a3 = vmulq_f32(load(w3), xv), load_fence();
            --k;
        } else {
            a0 = a1 = a2 = a3 = vdupq_n_f32(0.0f);
        }
#pragma GCC unroll 8
        for (; k != 0; --k) {
            const float32x4_t xv = load(xj);
            a0 = vfmaq_f32(a0, load(w0), xv), load_fence();
            a1 = vfmaq_f32(a1, load(w1), xv), load_fence();
            a2 = vfmaq_f32(a2, load(w2), xv), load_fence();
            a3 = vfmaq_f32(a3, load(w3), xv), load_fence();
        }
        if (n % 4) {
            const mve_pred16_t p = vctp32q(static_cast<std::uint32_t>(n % 4));
            const float32x4_t xv = vld1q_z_f32(xj, p);  // inactive lanes: zero, add nothing
            a0 = vfmaq_f32(a0, vld1q_z_f32(w0, p), xv);
            a1 = vfmaq_f32(a1, vld1q_z_f32(w1, p), xv);
            a2 = vfmaq_f32(a2, vld1q_z_f32(w2, p), xv);
            a3 = vfmaq_f32(a3, vld1q_z_f32(w3, p), xv);
        }
        vst1q_f32(y + i, vmulq_n_f32(sums(a0, a1, a2, a3), scale));
    }
    for (index_t r = rows - i; r != 0; --r, ++i) y[i] = scale * dot(w + i * n, x, n);
}

// Column blocks of eight: u_i goes from a core register straight into VFMA (the _n form). The
// last, partial block is the only predicated one.
inline void gemv_t(const float* w, index_t rows, index_t n, const float* u, float* y, float scale) {
    index_t j = 0;
    for (; j + 8 <= n; j += 8) {
        float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0;
        const float* wj = w + j;
        for (index_t i = 0; i < rows; ++i, wj += n) {
            a0 = vfmaq_n_f32(a0, vld1q_f32(wj), u[i]);
            a1 = vfmaq_n_f32(a1, vld1q_f32(wj + 4), u[i]);
        }
        vst1q_f32(y + j, vmulq_n_f32(a0, scale));
        vst1q_f32(y + j + 4, vmulq_n_f32(a1, scale));
    }
    if (j < n) {
        const mve_pred16_t p0 = vctp32q(static_cast<std::uint32_t>(n - j));
        const mve_pred16_t p1 = vctp32q(static_cast<std::uint32_t>(n - j > 4 ? n - j - 4 : 0));
        float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0;
        const float* wj = w + j;
        for (index_t i = 0; i < rows; ++i, wj += n) {
            a0 = vfmaq_n_f32(a0, vld1q_z_f32(wj, p0), u[i]);
            a1 = vfmaq_n_f32(a1, vld1q_z_f32(wj + 4, p1), u[i]);
        }
        vst1q_p_f32(y + j, vmulq_n_f32(a0, scale), p0);
        vst1q_p_f32(y + j + 4, vmulq_n_f32(a1, scale), p1);
    }
}

// y = decay y + a x; decay == 1 skips the multiply.
inline void scaled_axpy(float* y, const float* x, index_t n, float a, float decay) {
    // Bumped pointers: post-incrementing loads and stores (see gemv).
    if (decay == 1.0f) {
        for (index_t k = n / 4; k != 0; --k, y += 4, x += 4) vst1q_f32(y, vfmaq_n_f32(vld1q_f32(y), vld1q_f32(x), a));
    } else {
        for (index_t k = n / 4; k != 0; --k, y += 4, x += 4)
            vst1q_f32(y, vfmaq_n_f32(vmulq_n_f32(vld1q_f32(y), decay), vld1q_f32(x), a));
    }
    if (n % 4) {
        const mve_pred16_t p = vctp32q(static_cast<std::uint32_t>(n % 4));
        float32x4_t d = vld1q_z_f32(y, p);
        if (decay != 1.0f) d = vmulq_n_f32(d, decay);
        vst1q_p_f32(y, vfmaq_n_f32(d, vld1q_z_f32(x, p), a), p);
    }
}

// One block of four columns of one row: w = (decay) w + f x; w moves past it.
template <bool Decay>
TWOLAYER_INLINE void update4(float*& w, float32x4_t xv, float f, float decay) {
    float32x4_t v = vld1q_f32(w);
    if constexpr (Decay) v = vmulq_n_f32(v, decay);
    vst1q_f32(w, vfmaq_n_f32(v, xv, f));
    w += 4, opaque(w);
}

template <bool Decay>
TWOLAYER_INLINE void update_tail(float* w, float32x4_t xv, float f, float decay, mve_pred16_t p) {
    float32x4_t v = vld1q_z_f32(w, p);
    if constexpr (Decay) v = vmulq_n_f32(v, decay);
    vst1q_p_f32(w, vfmaq_n_f32(v, xv, f), p);
}

// W = decay W + (alpha a) x^T, four rows per load of x: per 4 columns one load of x, and per row
// a load, an FMA with the row's factor from a core register (the _n form) and a store.
template <bool Decay>
void rank1_update(float* w, index_t rows, index_t n, const float* a, const float* x, float alpha, float decay) {
    index_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        float* w0 = w + i * n;
        float* w1 = w0 + n;
        float* w2 = w1 + n;
        float* w3 = w2 + n;
        const float* xj = x;
        opaque(w0), opaque(w1), opaque(w2), opaque(w3), opaque(xj);
        // The four factors alpha a_i with one multiply (the same products as one by one).
        const float32x4_t f = vmulq_n_f32(vld1q_f32(a + i), alpha);
        const float f0 = vgetq_lane_f32(f, 0), f1 = vgetq_lane_f32(f, 1), f2 = vgetq_lane_f32(f, 2),
                    f3 = vgetq_lane_f32(f, 3);
#pragma GCC unroll 8
        for (index_t k = n / 4; k != 0; --k) {
            const float32x4_t xv = load(xj);
            update4<Decay>(w0, xv, f0, decay);
            update4<Decay>(w1, xv, f1, decay);
            update4<Decay>(w2, xv, f2, decay);
            update4<Decay>(w3, xv, f3, decay);
        }
        if (n % 4) {
            const mve_pred16_t p = vctp32q(static_cast<std::uint32_t>(n % 4));
            const float32x4_t xv = vld1q_z_f32(xj, p);
            update_tail<Decay>(w0, xv, f0, decay, p);
            update_tail<Decay>(w1, xv, f1, decay, p);
            update_tail<Decay>(w2, xv, f2, decay, p);
            update_tail<Decay>(w3, xv, f3, decay, p);
        }
    }
    for (index_t r = rows - i; r != 0; --r, ++i) scaled_axpy(w + i * n, x, n, alpha * a[i], decay);
}

}  // namespace detail_helium

template <class T, index_t E1, index_t E2, detail_helium::enable<T> = 0>
T dot(vec_view<const T, E1> a, vec_view<const T, E2> b, helium) {
    return detail_helium::dot(a.data(), b.data(), a.size());
}

template <class T, index_t R, index_t C, index_t EX, index_t EY, detail_helium::enable<T> = 0>
void gemv(mat_view<const T, R, C> W, vec_view<const T, EX> x, vec_view<T, EY> y, T scale, helium) {
    detail_helium::gemv(W.data(), W.rows(), W.cols(), x.data(), y.data(), scale);
}

template <class T, index_t R, index_t C, index_t EU, index_t EY, detail_helium::enable<T> = 0>
void gemv_t(mat_view<const T, R, C> W, vec_view<const T, EU> u, vec_view<T, EY> y, T scale, helium) {
    detail_helium::gemv_t(W.data(), W.rows(), W.cols(), u.data(), y.data(), scale);
}

template <class T, index_t R, index_t C, index_t EA, index_t EX, detail_helium::enable<T> = 0>
void rank1_update(mat_view<T, R, C> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha, T decay,
                  helium) {
    if (decay == 1.0f)
        detail_helium::rank1_update<false>(W.data(), W.rows(), W.cols(), a.data(), x.data(), alpha, decay);
    else
        detail_helium::rank1_update<true>(W.data(), W.rows(), W.cols(), a.data(), x.data(), alpha, decay);
}

template <class T, index_t EX, index_t EY, detail_helium::enable<T> = 0>
void axpy(T a, vec_view<const T, EX> x, vec_view<T, EY> y, helium) {
    detail_helium::scaled_axpy(y.data(), x.data(), y.size(), a, 1.0f);
}

}  // namespace twolayer::kernels
#endif
