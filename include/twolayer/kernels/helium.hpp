// Helium (M-profile Vector Extension, Cortex-M55) float kernels: four float lanes per
// instruction, fused multiply-adds, and tails handled by one predicated step (VCTP) instead of
// scalar loops, so no size has a slow path. MVE has eight vector registers: the row and column groups
// below are sized to stay within them. Overloads only; what is missing falls back to dsp's
// kernels, then to the scalar reference. Needs MVE with floating point (__ARM_FEATURE_MVE & 2).
#pragma once
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/dsp.hpp"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#include <arm_mve.h>

namespace twolayer::kernels {
namespace detail_helium {

template <class T>
using enable = std::enable_if_t<std::is_same<T, float>::value, int>;

// Remainder loops count down: see kernels/neon.hpp (a false GCC 12 warning on the plain form).

// MVE has no floating-point across-vector add.
inline float sum(float32x4_t v) {
    return (vgetq_lane_f32(v, 0) + vgetq_lane_f32(v, 1)) + (vgetq_lane_f32(v, 2) + vgetq_lane_f32(v, 3));
}

inline float dot(const float* a, const float* b, index_t n) {
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = vdupq_n_f32(0.0f);
    index_t i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
        s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
    }
    if (i + 4 <= n) {
        s1 = vfmaq_f32(s1, vld1q_f32(a + i), vld1q_f32(b + i));
        i += 4;
    }
    if (i < n) {
        // Inactive lanes load as zero and add nothing.
        const mve_pred16_t p = vctp32q(static_cast<std::uint32_t>(n - i));
        s0 = vfmaq_f32(s0, vld1q_z_f32(a + i, p), vld1q_z_f32(b + i, p));
    }
    return sum(vaddq_f32(s0, s1));
}

// Four rows share each load of x. Full vectors run unpredicated (GCC 12 rebuilds the predicate
// with four extra instructions per iteration otherwise); one predicated step takes the tail.
inline void gemv(const float* w, index_t rows, index_t n, const float* x, float* y, float scale) {
    index_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        // Bumped pointers, not base + j: GCC then uses post-incrementing loads, one instruction
        // each, instead of an add before every load.
        const float* w0 = w + i * n;
        const float* w1 = w0 + n;
        const float* w2 = w1 + n;
        const float* w3 = w2 + n;
        const float* xj = x;
        float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0, a2 = a0, a3 = a0;
        for (index_t k = n / 4; k != 0; --k) {
            const float32x4_t xv = vld1q_f32(xj);
            a0 = vfmaq_f32(a0, vld1q_f32(w0), xv);
            a1 = vfmaq_f32(a1, vld1q_f32(w1), xv);
            a2 = vfmaq_f32(a2, vld1q_f32(w2), xv);
            a3 = vfmaq_f32(a3, vld1q_f32(w3), xv);
            xj += 4, w0 += 4, w1 += 4, w2 += 4, w3 += 4;
        }
        if (n % 4) {
            const mve_pred16_t p = vctp32q(static_cast<std::uint32_t>(n % 4));
            const float32x4_t xv = vld1q_z_f32(xj, p);  // inactive lanes: zero, add nothing
            a0 = vfmaq_f32(a0, vld1q_z_f32(w0, p), xv);
            a1 = vfmaq_f32(a1, vld1q_z_f32(w1, p), xv);
            a2 = vfmaq_f32(a2, vld1q_z_f32(w2, p), xv);
            a3 = vfmaq_f32(a3, vld1q_z_f32(w3, p), xv);
        }
        y[i] = scale * sum(a0);
        y[i + 1] = scale * sum(a1);
        y[i + 2] = scale * sum(a2);
        y[i + 3] = scale * sum(a3);
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
    for (index_t i = 0; i < W.rows(); ++i)
        detail_helium::scaled_axpy(W.row(i).data(), x.data(), W.cols(), alpha * a[i], decay);
}

template <class T, index_t EX, index_t EY, detail_helium::enable<T> = 0>
void axpy(T a, vec_view<const T, EX> x, vec_view<T, EY> y, helium) {
    detail_helium::scaled_axpy(y.data(), x.data(), y.size(), a, 1.0f);
}

}  // namespace twolayer::kernels
#endif
