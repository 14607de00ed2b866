// Cortex-M4/M7/M33 float kernels (single-precision FPU, no float SIMD). The work is instruction
// count: loops unrolled by four with independent accumulators so loads use immediate offsets and
// one pointer step serves four multiply-adds, gemv and gemv_t reuse each loaded x (or u) value
// across four rows (or columns), and every multiply-add is one VFMA.F32. Overloads only: double
// and other formats resolve to the scalar reference (double is software on the M4 and M33).
#pragma once
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/dsp_fixed.hpp"  // 16-bit fixed point (SMLALD)
#include "twolayer/kernels/scalar.hpp"

namespace twolayer::kernels {
namespace detail_dsp {

template <class T>
using enable = std::enable_if_t<std::is_same<T, float>::value, int>;

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

inline float dot(const float* TWOLAYER_RESTRICT a, const float* TWOLAYER_RESTRICT b, index_t n) {
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
}

// Four rows at a time: per column step, one load of x feeds four multiply-adds.
inline void gemv(const float* w, index_t rows, index_t n, const float* TWOLAYER_RESTRICT x,
                 float* TWOLAYER_RESTRICT y, float scale) {
    index_t i = 0;
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

// Four columns at a time: one load of u_i feeds four multiply-adds; the sum over i keeps the
// scalar order.
inline void gemv_t(const float* w, index_t rows, index_t n, const float* TWOLAYER_RESTRICT u,
                   float* TWOLAYER_RESTRICT y, float scale) {
    index_t j = 0;
    for (; j + 4 <= n; j += 4) {
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        const float* wj = w + j;
        for (index_t i = 0; i < rows; ++i, wj += n) {
            const float ui = u[i];
            s0 = mac(s0, wj[0], ui);
            s1 = mac(s1, wj[1], ui);
            s2 = mac(s2, wj[2], ui);
            s3 = mac(s3, wj[3], ui);
        }
        y[j] = scale * s0;
        y[j + 1] = scale * s1;
        y[j + 2] = scale * s2;
        y[j + 3] = scale * s3;
    }
    for (index_t r = n - j; r != 0; --r, ++j) {
        float s = 0.0f;
        for (index_t i = 0; i < rows; ++i) s = mac(s, w[i * n + j], u[i]);
        y[j] = scale * s;
    }
}

// y = decay y + a x; decay == 1 skips the multiply (plain SGD pays nothing for weight decay).
inline void scaled_axpy(float* TWOLAYER_RESTRICT y, const float* TWOLAYER_RESTRICT x, index_t n, float a,
                        float decay) {
    index_t j = 0;
    if (decay == 1.0f) {
        for (; j + 4 <= n; j += 4) {
            y[j] = mac(y[j], a, x[j]);
            y[j + 1] = mac(y[j + 1], a, x[j + 1]);
            y[j + 2] = mac(y[j + 2], a, x[j + 2]);
            y[j + 3] = mac(y[j + 3], a, x[j + 3]);
        }
        for (index_t r = n - j; r != 0; --r, ++j) y[j] = mac(y[j], a, x[j]);
    } else {
        for (; j + 4 <= n; j += 4) {
            y[j] = mac(decay * y[j], a, x[j]);
            y[j + 1] = mac(decay * y[j + 1], a, x[j + 1]);
            y[j + 2] = mac(decay * y[j + 2], a, x[j + 2]);
            y[j + 3] = mac(decay * y[j + 3], a, x[j + 3]);
        }
        for (index_t r = n - j; r != 0; --r, ++j) y[j] = mac(decay * y[j], a, x[j]);
    }
}

}  // namespace detail_dsp

template <class T, index_t E1, index_t E2, detail_dsp::enable<T> = 0>
T dot(vec_view<const T, E1> a, vec_view<const T, E2> b, dsp) {
    return detail_dsp::dot(a.data(), b.data(), a.size());
}

template <class T, index_t R, index_t C, index_t EX, index_t EY, detail_dsp::enable<T> = 0>
void gemv(mat_view<const T, R, C> W, vec_view<const T, EX> x, vec_view<T, EY> y, T scale, dsp) {
    detail_dsp::gemv(W.data(), W.rows(), W.cols(), x.data(), y.data(), scale);
}

template <class T, index_t R, index_t C, index_t EU, index_t EY, detail_dsp::enable<T> = 0>
void gemv_t(mat_view<const T, R, C> W, vec_view<const T, EU> u, vec_view<T, EY> y, T scale, dsp) {
    detail_dsp::gemv_t(W.data(), W.rows(), W.cols(), u.data(), y.data(), scale);
}

template <class T, index_t R, index_t C, index_t EA, index_t EX, detail_dsp::enable<T> = 0>
void rank1_update(mat_view<T, R, C> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha, T decay,
                  dsp) {
    for (index_t i = 0; i < W.rows(); ++i)
        detail_dsp::scaled_axpy(W.row(i).data(), x.data(), W.cols(), alpha * a[i], decay);
}

template <class T, index_t EX, index_t EY, detail_dsp::enable<T> = 0>
void axpy(T a, vec_view<const T, EX> x, vec_view<T, EY> y, dsp) {
    detail_dsp::scaled_axpy(y.data(), x.data(), y.size(), a, 1.0f);
}

}  // namespace twolayer::kernels
