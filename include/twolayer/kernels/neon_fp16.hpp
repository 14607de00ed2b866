// Armv8.2-A half-precision arithmetic (Cortex-A76 class): dot products of f16 vectors computed
// with native fp16 fused multiply-adds, eight lanes per instruction, delivered in f16's
// accumulator type (float), as overloads of dot and gemv for f16 networks. float and double
// kernels are neon's (the tag inherits). Without half-precision vector arithmetic this header
// declares only neon's kernels.
//
// Implementations on neon_fp16: dot and gemv of f16 vectors.
#pragma once
#include <cstdint>
#include <cstring>

#include "twolayer/core/config.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/half.hpp"
#include "twolayer/kernels/dispatch.hpp"
#include "twolayer/kernels/neon.hpp"

#if defined(__ARM_NEON) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
#include <arm_neon.h>

namespace twolayer::kernels {
namespace detail_neon_fp16 {

// f16 is its bit pattern and nothing else, so an array of them is an array of uint16 lanes.
inline float16x8_t load(const f16* p) {
    static_assert(sizeof(f16) == 2, "f16 must be exactly its 16 bits");
    std::uint16_t b[8];
    std::memcpy(b, p, sizeof b);  // compiles to one vector load; no aliasing question
    return vreinterpretq_f16_u16(vld1q_u16(b));
}

inline float32x4_t widen_sum(float32x4_t acc, float16x8_t h) {
    return vaddq_f32(acc, vaddq_f32(vcvt_f32_f16(vget_low_f16(h)), vcvt_f32_f16(vget_high_f16(h))));
}

}  // namespace detail_neon_fp16

/// sum_i a_i b_i over n f16 values, in float. Products accumulate in fp16 for at most `block` elements per lane pair, then
// move into float: fp16's 11 significant bits would otherwise be swamped by a long sum (the error
// of a pure fp16 sum grows with n times fp16's epsilon, 1e-3). Products beyond 65504 overflow to
// infinity, as in any fp16 arithmetic.
inline float dot_f16_native(const f16* a, const f16* b, index_t n) {
    using namespace detail_neon_fp16;
    constexpr index_t block = 64;  // 4 fp16 products per lane and accumulator before widening
    float32x4_t total = vdupq_n_f32(0.0f);
    index_t i = 0;
    while (i + 16 <= n) {
        const index_t end = i + block <= n ? i + block : i + (n - i) / 16 * 16;
        float16x8_t s0 = vdupq_n_f16(0), s1 = vdupq_n_f16(0);
        for (; i < end; i += 16) {
            s0 = vfmaq_f16(s0, load(a + i), load(b + i));
            s1 = vfmaq_f16(s1, load(a + i + 8), load(b + i + 8));
        }
        total = widen_sum(widen_sum(total, s0), s1);
    }
    if (i < n) {
        // The last 1..15 elements, zero-padded: zeros add nothing to the sum.
        f16 ta[16] = {}, tb[16] = {};  // bits 0: +0.0
        const index_t r = n - i;
        std::memcpy(ta, a + i, r * sizeof(f16));
        std::memcpy(tb, b + i, r * sizeof(f16));
        const float16x8_t s0 = vfmaq_f16(vdupq_n_f16(0), load(ta), load(tb));
        const float16x8_t s1 = vfmaq_f16(vdupq_n_f16(0), load(ta + 8), load(tb + 8));
        total = widen_sum(widen_sum(total, s0), s1);
    }
    return vaddvq_f32(total);
}

// dot of f16 vectors: dot_f16_native.
template <class A, index_t E1, index_t E2>
result<A, neon_fp16, float> kernel(op::dot, vec_view<const f16, E1> a, vec_view<const f16, E2> b,
                                   requires_arch<neon_fp16>) {
    return dot_f16_native(a.data(), b.data(), a.size());
}

// y_i = scale * (W x)_i, as the scalar gemv with the native dot.
template <class A, class C, index_t R, index_t K, index_t EX, index_t EY>
result<A, neon_fp16> kernel(op::gemv, mat_view<const f16, R, K> W, vec_view<const f16, EX> x, vec_view<C, EY> y,
                            C scale, requires_arch<neon_fp16>) {
    for (index_t i = 0; i < W.rows(); ++i) y[i] = C(scale * C(dot_f16_native(W.row(i).data(), x.data(), W.cols())));
}

}  // namespace twolayer::kernels
#endif
