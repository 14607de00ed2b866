// The NEON registers the kernels are written against, one struct per element type, so that
// kernels/neon.hpp is written once for float and double. Without NEON this header is empty.
#pragma once
#include <type_traits>

#include "twolayer/core/config.hpp"

#if defined(__ARM_NEON)
#include <arm_neon.h>

namespace twolayer::kernels::detail_neon {

/// The registers and operations of element type T (specialized for float, and double on AArch64).
template <class T>
struct lanes;

/// Whether T has NEON lanes here.
template <class T>
inline constexpr bool has_lanes = std::is_same<T, float>::value
#if defined(__aarch64__)
                                  || std::is_same<T, double>::value
#endif
    ;

template <>
struct lanes<float> {
    using reg = float32x4_t;
    using quad = float32x4x4_t;  // four registers, 16 consecutive floats
    static constexpr index_t width = 4;
    static reg load(const float* p) { return vld1q_f32(p); }
    static void store(float* p, reg v) { vst1q_f32(p, v); }
#if defined(__aarch64__)
    // One LD1 of four registers: a quarter of the load instructions. (GCC 12's Armv7 arm_neon.h
    // has no _x4 forms; kernels/neon.hpp's next4 loads register by register there.)
    static quad load4(const float* p) { return vld1q_f32_x4(p); }
#endif
    static reg dup(float a) { return vdupq_n_f32(a); }
    static reg zero() { return vdupq_n_f32(0.0f); }
    static reg add(reg a, reg b) { return vaddq_f32(a, b); }
    static reg mul(reg a, reg b) { return vmulq_f32(a, b); }
    // acc + a b with one rounding (VFMA; Armv7 needs -mfpu=neon-vfpv4, else it does not compile).
    static reg fma(reg acc, reg a, reg b) { return vfmaq_f32(acc, a, b); }
    // acc + a v[K]: on AArch64 the by-element form, so a row's factor needs no register of its own.
    template <int K>
    static reg fma_lane(reg acc, reg a, reg v) {
#if defined(__aarch64__)
        return vfmaq_laneq_f32(acc, a, v, K);
#else
        return vfmaq_f32(acc, a, vdupq_n_f32(vgetq_lane_f32(v, K)));
#endif
    }
    static float sum(reg v) {
#if defined(__aarch64__)
        return vaddvq_f32(v);
#else
        const float32x2_t h = vadd_f32(vget_low_f32(v), vget_high_f32(v));
        return vget_lane_f32(vpadd_f32(h, h), 0);
#endif
    }
    // Lane r = the sum of a[r]'s lanes, for r < width: the sums of four rows in one register,
    // with three pairwise adds instead of two instructions per row and a store per row.
    static reg sums(const reg* a) {
#if defined(__aarch64__)
        return vpaddq_f32(vpaddq_f32(a[0], a[1]), vpaddq_f32(a[2], a[3]));
#else
        const float32x2_t s01 = vpadd_f32(vadd_f32(vget_low_f32(a[0]), vget_high_f32(a[0])),
                                          vadd_f32(vget_low_f32(a[1]), vget_high_f32(a[1])));
        const float32x2_t s23 = vpadd_f32(vadd_f32(vget_low_f32(a[2]), vget_high_f32(a[2])),
                                          vadd_f32(vget_low_f32(a[3]), vget_high_f32(a[3])));
        return vcombine_f32(s01, s23);
#endif
    }
};

#if defined(__aarch64__)
template <>
struct lanes<double> {
    using reg = float64x2_t;
    using quad = float64x2x4_t;
    static constexpr index_t width = 2;
    static reg load(const double* p) { return vld1q_f64(p); }
    static void store(double* p, reg v) { vst1q_f64(p, v); }
    static quad load4(const double* p) { return vld1q_f64_x4(p); }
    static reg dup(double a) { return vdupq_n_f64(a); }
    static reg zero() { return vdupq_n_f64(0.0); }
    static reg add(reg a, reg b) { return vaddq_f64(a, b); }
    static reg mul(reg a, reg b) { return vmulq_f64(a, b); }
    static reg fma(reg acc, reg a, reg b) { return vfmaq_f64(acc, a, b); }
    template <int K>
    static reg fma_lane(reg acc, reg a, reg v) { return vfmaq_laneq_f64(acc, a, v, K); }
    static double sum(reg v) { return vaddvq_f64(v); }
    static reg sums(const reg* a) { return vpaddq_f64(a[0], a[1]); }
};
#endif

}  // namespace twolayer::kernels::detail_neon
#endif
