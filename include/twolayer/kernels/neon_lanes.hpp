// The NEON registers the kernels are written against, one struct per element type, so that
// kernels/neon.hpp is written once for float and double.
#pragma once
#include <arm_neon.h>

#include <type_traits>

#include "twolayer/core/config.hpp"

namespace twolayer::kernels::detail_neon {

template <class T>
struct lanes;

template <class T>
inline constexpr bool has_lanes = std::is_same<T, float>::value
#if defined(__aarch64__)
                                  || std::is_same<T, double>::value
#endif
    ;

template <>
struct lanes<float> {
    using reg = float32x4_t;
    static constexpr index_t width = 4;
    static reg load(const float* p) { return vld1q_f32(p); }
    static void store(float* p, reg v) { vst1q_f32(p, v); }
    static reg dup(float a) { return vdupq_n_f32(a); }
    static reg zero() { return vdupq_n_f32(0.0f); }
    static reg add(reg a, reg b) { return vaddq_f32(a, b); }
    static reg mul(reg a, reg b) { return vmulq_f32(a, b); }
    // acc + a b with one rounding (VFMA; Armv7 needs -mfpu=neon-vfpv4, else it does not compile).
    static reg fma(reg acc, reg a, reg b) { return vfmaq_f32(acc, a, b); }
    static float sum(reg v) {
#if defined(__aarch64__)
        return vaddvq_f32(v);
#else
        const float32x2_t h = vadd_f32(vget_low_f32(v), vget_high_f32(v));
        return vget_lane_f32(vpadd_f32(h, h), 0);
#endif
    }
};

#if defined(__aarch64__)
template <>
struct lanes<double> {
    using reg = float64x2_t;
    static constexpr index_t width = 2;
    static reg load(const double* p) { return vld1q_f64(p); }
    static void store(double* p, reg v) { vst1q_f64(p, v); }
    static reg dup(double a) { return vdupq_n_f64(a); }
    static reg zero() { return vdupq_n_f64(0.0); }
    static reg add(reg a, reg b) { return vaddq_f64(a, b); }
    static reg mul(reg a, reg b) { return vmulq_f64(a, b); }
    static reg fma(reg acc, reg a, reg b) { return vfmaq_f64(acc, a, b); }
    static double sum(reg v) { return vaddvq_f64(v); }
};
#endif

}  // namespace twolayer::kernels::detail_neon
