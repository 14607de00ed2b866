// Cortex-M4/M7/M33 float kernels (single-precision FPU, no float SIMD). The work is instruction
// count: dot, gemv and the rank-1 update run their 16-column chunks in kernels/dsp_vfp_asm.hpp
// (one VLDM loads 8 or 16 floats; four rows share each loaded chunk of x) and finish the n % 16
// columns here; elsewhere loops are unrolled by four with independent accumulators so loads use
// immediate offsets, and every multiply-add is one VFMA.F32. Overloads only: double and other
// formats resolve to the scalar reference (double is software on the M4 and M33).
//
// Implementations on dsp: dot, gemv, rank1_update, gemv_bias (float, on M-profile cores with a
// single-precision FPU: TWOLAYER_DSP_FLOAT); absmax (float, on Thumb-2 M-profile cores:
// TWOLAYER_DSP_SCAN_ASM); Q15 dot and gemv (kernels/dsp_fixed.hpp, with the DSP extension).
// Elsewhere dsp resolves to the scalar reference.
#pragma once
#include <cstdint>
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/common.hpp"
#include "twolayer/kernels/dsp_fixed.hpp"     // 16-bit fixed point (SMLALD)
#include "twolayer/kernels/dsp_scan_asm.hpp"  // the LDM scan of absmax
#include "twolayer/kernels/dsp_vfp_asm.hpp"   // VLDM/VSTM inner loops where the FPU allows
#include "twolayer/kernels/scalar.hpp"

#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M' && defined(__ARM_FP) && (__ARM_FP & 4)
#define TWOLAYER_DSP_FLOAT 1
#endif

namespace twolayer::kernels {

#if TWOLAYER_DSP_FLOAT
namespace detail_dsp {

// Remainder loops count down: see kernels/neon.hpp (a false GCC 12 warning on the plain form).

// acc + a b with one rounding. The library builds with -ffp-contract=off, so fusion is asked for
// here explicitly; without an FMA unit fmaf would be a slow library call, so fall back to two ops.
TWOLAYER_INLINE float mac(float acc, float a, float b) {
#if defined(__ARM_FEATURE_FMA)
    return __builtin_fmaf(a, b, acc);
#else
    return acc + a * b;
#endif
}

// The n % 16 columns after the assembly chunks, one accumulator.
TWOLAYER_INLINE float dot_tail(float acc, const float* a, const float* b, index_t r) {
    for (; r != 0; --r) acc = mac(acc, *a++, *b++);
    return acc;
}

inline float dot(const float* TWOLAYER_RESTRICT a, const float* TWOLAYER_RESTRICT b, index_t n) {
#if TWOLAYER_DSP_ASM
    float acc = 0.0f;
    const float* ap = a;
    const float* bp = b;
    if (n >= 16) detail_dsp_asm::dot1_chunks16(ap, bp, n / 16, acc);
    return dot_tail(acc, ap, bp, n % 16);
#else
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    index_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 = mac(s0, a[i], b[i]);
        s1 = mac(s1, a[i + 1], b[i + 1]);
        s2 = mac(s2, a[i + 2], b[i + 2]);
        s3 = mac(s3, a[i + 3], b[i + 3]);
    }
    for (index_t r = n - i; r != 0; --r, ++i) s0 = mac(s0, a[i], b[i]);
    return (s0 + s1) + (s2 + s3);
#endif
}

// Four rows at a time: per column step, one load of x feeds four multiply-adds.
inline void gemv_general(const float* w, index_t rows, index_t n, const float* TWOLAYER_RESTRICT x,
                 float* TWOLAYER_RESTRICT y, float scale) {
    index_t i = 0;
#if TWOLAYER_DSP_ASM
    if (n >= 16 && n % 16 == 0 && rows >= 4) {
        detail_dsp_asm::gemv_blocks4_n16(w, rows / 4, n, x, y, scale);
        i = rows - rows % 4;
    }
    if (n >= 16) {
        for (; i + 4 <= rows; i += 4) {
            const float* w0 = w + i * n;
            const float* w1 = w0 + n;
            const float* w2 = w1 + n;
            const float* w3 = w2 + n;
            const float* xj = x;
            float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
            detail_dsp_asm::dot4_chunks16(w0, w1, w2, w3, xj, n / 16, s0, s1, s2, s3);
            const index_t r = n % 16;
            if (r != 0) {  // one test instead of four empty loops (n is not a constant at -Os)
                s0 = dot_tail(s0, w0, xj, r);
                s1 = dot_tail(s1, w1, xj, r);
                s2 = dot_tail(s2, w2, xj, r);
                s3 = dot_tail(s3, w3, xj, r);
            }
            y[i] = scale * s0;
            y[i + 1] = scale * s1;
            y[i + 2] = scale * s2;
            y[i + 3] = scale * s3;
        }
    }
#endif
    for (; i + 4 <= rows; i += 4) {
        const float* w0 = w + i * n;
        const float* w1 = w0 + n;
        const float* w2 = w1 + n;
        const float* w3 = w2 + n;
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        for (index_t j = 0; j < n; ++j) {
            const float xj = x[j];
            s0 = mac(s0, w0[j], xj);
            s1 = mac(s1, w1[j], xj);
            s2 = mac(s2, w2[j], xj);
            s3 = mac(s3, w3[j], xj);
        }
        y[i] = scale * s0;
        y[i + 1] = scale * s1;
        y[i + 2] = scale * s2;
        y[i + 3] = scale * s3;
    }
    for (index_t r = rows - i; r != 0; --r, ++i) y[i] = scale * dot(w + i * n, x, n);
}

// y = decay y + a x; Decay false: decay == 1, not multiplied (plain SGD pays nothing for weight
// decay). The remainder loops count to n % 4, a trip count GCC 12 can prove below 4: counted down
// from n - j, it reported a false "iteration ... invokes undefined behavior" once inlined into the
// step with dynamic sizes (-Werror).
template <bool Decay>
inline void scaled_axpy(float* TWOLAYER_RESTRICT y, const float* TWOLAYER_RESTRICT x, index_t n, float a,
                        float decay) {
    index_t j = 0;
    if constexpr (!Decay) {
        (void)decay;
        for (; j + 4 <= n; j += 4) {
            y[j] = mac(y[j], a, x[j]);
            y[j + 1] = mac(y[j + 1], a, x[j + 1]);
            y[j + 2] = mac(y[j + 2], a, x[j + 2]);
            y[j + 3] = mac(y[j + 3], a, x[j + 3]);
        }
        for (index_t r = 0; r < n % 4; ++r, ++j) y[j] = mac(y[j], a, x[j]);
    } else {
        for (; j + 4 <= n; j += 4) {
            y[j] = mac(decay * y[j], a, x[j]);
            y[j + 1] = mac(decay * y[j + 1], a, x[j + 1]);
            y[j + 2] = mac(decay * y[j + 2], a, x[j + 2]);
            y[j + 3] = mac(decay * y[j + 3], a, x[j + 3]);
        }
        for (index_t r = 0; r < n % 4; ++r, ++j) y[j] = mac(decay * y[j], a, x[j]);
    }
}

// The n % 16 columns after the assembly chunks.
TWOLAYER_INLINE void axpy_tail(float* w, const float* x, index_t r, float c) {
    for (; r != 0; --r, ++w) *w = mac(*w, c, *x++);
}

// W = decay W + alpha a x^T; without decay (plain SGD) four rows share each loaded chunk of x.
template <bool Decay>
inline void rank1_update(float* w, index_t rows, index_t n, const float* a, const float* TWOLAYER_RESTRICT x, float alpha,
                  float decay) {
    index_t i = 0;
#if TWOLAYER_DSP_ASM
    if (!Decay && n >= 16) {
        const index_t r = n % 16;
        for (; i + 4 <= rows; i += 4) {
            float* w0 = w + i * n;
            float* w1 = w0 + n;
            float* w2 = w1 + n;
            float* w3 = w2 + n;
            const float* xj = x;
            const float c0 = alpha * a[i], c1 = alpha * a[i + 1], c2 = alpha * a[i + 2], c3 = alpha * a[i + 3];
            detail_dsp_asm::axpy4_chunks16(w0, w1, w2, w3, xj, n / 16, c0, c1, c2, c3);
            if (r != 0) {
                axpy_tail(w0, xj, r, c0);
                axpy_tail(w1, xj, r, c1);
                axpy_tail(w2, xj, r, c2);
                axpy_tail(w3, xj, r, c3);
            }
        }
        for (index_t left = rows - i; left != 0; --left, ++i) {
            float* wi = w + i * n;
            const float* xj = x;
            const float c = alpha * a[i];
            detail_dsp_asm::axpy1_chunks16(wi, xj, n / 16, c);
            axpy_tail(wi, xj, r, c);
        }
        return;
    }
#endif
    for (; i < rows; ++i) scaled_axpy<Decay>(w + i * n, x, n, alpha * a[i], decay);
}

// Whole blocks of four rows and whole 16-column chunks: the assembly alone does the work. With
// sizes in the type this is decided at compile time and the general routine is not even linked
// (its cost per call and in flash at -Os: docs/BENCHMARKS.md).
template <index_t R, index_t C>
TWOLAYER_INLINE bool blocks_only(index_t rows, index_t cols) {
#if TWOLAYER_DSP_ASM
    if (R != dynamic_extent && C != dynamic_extent) return R >= 4 && R % 4 == 0 && C >= 16 && C % 16 == 0;
    return rows >= 4 && rows % 4 == 0 && cols >= 16 && cols % 16 == 0;
#else
    (void)rows, (void)cols;
    return false;
#endif
}

// The pointer kernels of TWOLAYER_POINTER_KERNELS (kernels/common.hpp): dot above, and
template <class T>
inline constexpr bool takes = std::is_same<T, float>::value;

// y = scale W x; R, K: W's static extents.
template <index_t R, index_t K>
TWOLAYER_INLINE void gemv(const float* w, index_t rows, index_t cols, const float* x, float* y, float scale) {
#if TWOLAYER_DSP_ASM
    if (blocks_only<R, K>(rows, cols)) return detail_dsp_asm::gemv_blocks4_n16(w, rows / 4, cols, x, y, scale);
#endif
    gemv_general(w, rows, cols, x, y, scale);
}

}  // namespace detail_dsp

TWOLAYER_POINTER_KERNELS(dsp, detail_dsp)

// y = scale W x + b: the biases added as each block of four sums is stored (one VLDM, four adds)
// instead of in a second pass over y; elsewhere dsp's gemv, then the addition (the same bits).
template <class A, index_t R, index_t C, index_t EX, index_t EB, index_t EY>
result<A, dsp> kernel(op::gemv_bias, mat_view<const float, R, C> W, vec_view<const float, EX> x,
                      vec_view<const float, EB> b, vec_view<float, EY> y, float scale, requires_arch<dsp>) {
#if TWOLAYER_DSP_ASM
    if (detail_dsp::blocks_only<R, C>(W.rows(), W.cols()))
        return detail_dsp_asm::gemv_bias_blocks4_n16(W.data(), W.rows() / 4, W.cols(), x.data(), b.data(),
                                                     y.data(), scale);
#endif
    detail_scalar::gemv_then_bias<dsp>(W, x, b, y, scale);
}
#endif  // TWOLAYER_DSP_FLOAT

#if TWOLAYER_DSP_SCAN_ASM
// absmax on float: blocks of eight in the LDM assembly (kernels/dsp_scan_asm.hpp), the rest as
// the scalar reference; the same result.
template <class A, index_t E>
result<A, dsp, absmax_result<float>> kernel(op::absmax, vec_view<const float, E> x, requires_arch<dsp>) {
    const float* p = x.data();
    std::uint32_t m = 0;
    if (x.size() >= 8) m = detail_dsp_scan_asm::max_doubled_bits_chunks8(p, x.size() / 8, 0u) >> 1;
    return detail_scalar::absmax_from_bits<float>(detail_scalar::max_magnitude_bits(p, x.size() % 8, m));
}
#endif

}  // namespace twolayer::kernels
