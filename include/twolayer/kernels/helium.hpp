// Helium (M-profile Vector Extension, Cortex-M55) kernels. Float: four lanes per instruction,
// fused multiply-adds, and tails handled by one predicated step (VCTP) instead of scalar loops,
// so no size has a slow path; needs MVE with floating point (__ARM_FEATURE_MVE & 2). 16-bit fixed
// point: exact 64-bit multiply-accumulate reductions (integer MVE). MVE has eight vector
// registers: the row and column groups below are sized to stay within them. Every load and store
// post-increments its pointer (one instruction each). What is missing falls back to dsp's
// kernels (the rule of arch/tags.hpp), then to the scalar reference. Without MVE this header
// declares nothing but has_helium_fixed16 = false.
//
// Implementations on helium: dot, gemv, rank1_update, gemv_bias (float, with MVE floating point);
// Q15 dot and gemv (integer MVE). From dsp: absmax; the float kernels where MVE has no floating
// point.
//
// Floors at the 16 x 64 reference shape (MVE has no multi-register load): the gemv needs a load
// of W per 4 MACs besides the FMA (0.5 per MAC, plus x), the rank-1 update a load, an FMA and a
// store per 4 (0.75 per MAC).
#pragma once
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/common.hpp"
#include "twolayer/kernels/dsp.hpp"

#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>

#include <cstdint>

namespace twolayer::kernels {
// 16-bit fixed point (q3_12, q15): VMLALDAVA multiplies eight int16 pairs and adds the products
// to a 64-bit accumulator exactly (integer MVE), 3 instructions per 8 MACs in the dot product
// against SMLALD's 2 MACs per instruction plus its loads. The sums are the scalar reference's exact
// int64 sums, so the results are bit-exact (tested).
/// True where the Q15 implementations below exist (the kernel test asserts it on the M55).
inline constexpr bool has_helium_fixed16 = true;

namespace detail_helium_fixed {

using detail::opaque_in_place;

TWOLAYER_INLINE int16x8_t load(const std::int16_t*& p) {
    const int16x8_t v = vld1q_s16(p);
    p += 8, opaque_in_place(p);
    return v;
}

template <index_t E = dynamic_extent>  // E unused: the loop is the same for every length
inline std::int64_t dot(const std::int16_t* a, const std::int16_t* b, index_t n) {
    opaque_in_place(a), opaque_in_place(b);
    std::int64_t s = 0;
    for (index_t k = n / 8; k != 0; --k) s = vmlaldavaq_s16(s, load(a), load(b));
    if (const index_t r = n % 8) {
        const mve_pred16_t p = vctp16q(static_cast<std::uint32_t>(r));
        s = vmlaldavaq_p_s16(s, vld1q_z_s16(a, p), vld1q_z_s16(b, p), p);
    }
    return s;
}

// Rows in pairs share each load of x: two 64-bit accumulators, three pointers and the loop
// counter stay in core registers (four rows would not leave enough).
template <index_t K, class C>  // K unused
void gemv(const std::int16_t* w, index_t rows, index_t n, const std::int16_t* x, C* y, C s) {
    index_t i = 0;
    for (; i + 2 <= rows; i += 2) {
        // Keeps the loads of x in this loop: hoisted out of it, they would not fit the registers.
        detail::load_fence();
        const std::int16_t* w0 = w + i * n;
        const std::int16_t* w1 = w0 + n;
        const std::int16_t* xj = x;
        opaque_in_place(w0), opaque_in_place(w1), opaque_in_place(xj);
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
        y[i] = C(s * detail::exact_to<C>(s0));
        y[i + 1] = C(s * detail::exact_to<C>(s1));
    }
    if (i < rows) y[i] = C(s * detail::exact_to<C>(dot(w + i * n, x, n)));
}

}  // namespace detail_helium_fixed

TWOLAYER_POINTER_KERNELS_Q16(helium, detail_helium_fixed)

}  // namespace twolayer::kernels
#else
namespace twolayer::kernels {
inline constexpr bool has_helium_fixed16 = false;  ///< no MVE here: Q15 on helium is dsp's
}  // namespace twolayer::kernels
#endif

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
namespace twolayer::kernels {
namespace detail_helium {

using detail::opaque_in_place;
using detail::load_fence;

// The pointer kernels of TWOLAYER_POINTER_KERNELS (kernels/common.hpp): float, dot, gemv and
// rank1_update below.
template <class T>
inline constexpr bool takes = std::is_same<T, float>::value;

// Remainder loops count down: see kernels/neon.hpp (a false GCC 12 warning on the plain form).

TWOLAYER_INLINE float32x4_t load(const float*& p) {
    const float32x4_t v = vld1q_f32(p);
    p += 4, opaque_in_place(p);
    return v;
}

// MVE has no floating-point across-vector add.
inline float sum(float32x4_t v) {
    return (vgetq_lane_f32(v, 0) + vgetq_lane_f32(v, 1)) + (vgetq_lane_f32(v, 2) + vgetq_lane_f32(v, 3));
}

// Lane r = the sum of ar's lanes: a 4 x 4 transpose through memory (VLD4 de-interleaves) and
// three adds, 11 instructions for four rows; lane by lane, GCC 12 moves odd lanes through core
// registers, several instructions per row (docs/BENCHMARKS.md).
TWOLAYER_INLINE float32x4_t sums(float32x4_t a0, float32x4_t a1, float32x4_t a2, float32x4_t a3) {
    float t[16];
    vst1q_f32(t, a0), vst1q_f32(t + 4, a1), vst1q_f32(t + 8, a2), vst1q_f32(t + 12, a3);
    const float32x4x4_t c = vld4q_f32(t);
    return vaddq_f32(vaddq_f32(c.val[0], c.val[1]), vaddq_f32(c.val[2], c.val[3]));
}

inline float dot(const float* a, const float* b, index_t n) {
    opaque_in_place(a), opaque_in_place(b);
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
        opaque_in_place(w0), opaque_in_place(w1), opaque_in_place(w2), opaque_in_place(w3), opaque_in_place(xj);
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
        // GCC 12.2 (arm-none-eabi, -mcpu=cortex-m55) has placed the caller's scalar loads of
        // y[i + 1] and y[i + 2] above this VSTRW once the kernel was inlined (analysis/hvp.hpp's
        // forward pass, gemv_bias's bias addition: stale pre-activations, -O1 to -O3; found by
        // tests/test_lanczos.cpp): a compiler barrier keeps every later access below the store.
        // No instruction.
        load_fence();
    }
    for (index_t r = rows - i; r != 0; --r, ++i) y[i] = scale * dot(w + i * n, x, n);
}

// The same in TWOLAYER_POINTER_KERNELS's form (W's static extents R, K unused: one gemv for all).
template <index_t R, index_t K>
TWOLAYER_INLINE void gemv(const float* w, index_t rows, index_t n, const float* x, float* y, float scale) {
    gemv(w, rows, n, x, y, scale);
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
    w += 4, opaque_in_place(w);
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
        opaque_in_place(w0), opaque_in_place(w1), opaque_in_place(w2), opaque_in_place(w3), opaque_in_place(xj);
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

TWOLAYER_POINTER_KERNELS(helium, detail_helium)

// y = scale W x + b: helium's own gemv, then the addition (the reference's composition, declared
// on helium so that it wins over dsp's gemv_bias). Chosen by count (docs/BENCHMARKS.md): dsp's
// VLDM/VFMA block assembly does one scalar VFMA per multiply-add, helium's gemv four per VFMA,
// and the bits are those of helium's gemv plus the bias, as gemv_bias promises.
template <class A, index_t R, index_t C, index_t EX, index_t EB, index_t EY>
result<A, helium> kernel(op::gemv_bias, mat_view<const float, R, C> W, vec_view<const float, EX> x,
                         vec_view<const float, EB> b, vec_view<float, EY> y, float scale, requires_arch<helium>) {
    detail_scalar::gemv_then_bias<A>(W, x, b, y, scale);
}

}  // namespace twolayer::kernels
#endif
