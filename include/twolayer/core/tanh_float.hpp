// tanh for float, the library's own: x P(x^2) / Q(x^2), a rational minimax fit on [0, 8]
// (tools/fit/fit_tanh.py prints these coefficients; its fit error is 3.9e-10 relative), evaluated
// with plain multiplies and adds.
//
// Why not std::tanh: newlib's tanhf is a call of about 100 instructions on a Cortex-M4 (expm1f
// inside), 16 of them in each step of a P = 16 network, a third of the step; and C libraries
// differ in the last bit, so tanh networks could not give the same bits on the host and the board.
// This one is about 30 instructions (one rarely taken branch, which compilers can turn into a
// select), and bit-identical on every target: no fused multiply-adds (the library builds with
// -ffp-contract=off), IEEE float multiply, add and a correctly rounded divide. (Fused multiply-
// adds would not save instructions on the Cortex-M: VFMA overwrites its addend, so each Horner
// step would need a copy of its coefficient.)
//
// Accuracy against double tanh rounded to float, measured over all 2^31 non-negative finite
// floats (an exhaustive run on the host; tests/test_activations.cpp samples the same range on
// every target): at most 6 ulp (near x = 3.95; the rounding of the evaluation dominates the fit's
// error), mean 0.036 ulp. |result| <= 1 (checked by that run: the fit never rounds above 1 below
// x = 8), odd, exact for |x| < 2^-12 (tanh(x) rounds to x there), NaN gives NaN, +-inf give +-1.
// double keeps std::tanh: double is the reference the formats are measured against.
#pragma once
#include "twolayer/core/config.hpp"

namespace twolayer::math {

// The coefficients, shared with the vector versions (kernels/neon.hpp, kernels/xsimd.hpp), which
// evaluate the very operations of tanh_rational below, in the same order, lane by lane.
namespace tanh_coef {
inline constexpr float p1 = 1.3725420889e-01f, p2 = 3.9256084238e-03f, p3 = 2.9181723280e-05f,
                       p4 = 3.3502971903e-08f, p5 = -1.4481048274e-11f;
inline constexpr float q1 = 4.7058754030e-01f, q2 = 2.7454793040e-02f, q3 = 4.0402411078e-04f,
                       q4 = 1.3705749850e-06f;
inline constexpr float big_t = 64.0f;  // x^2 above it: +-1
}  // namespace tanh_coef

// Always inlined: a call would cost a sixth of the work at -Os.
TWOLAYER_INLINE float tanh_rational(float x) {
    using namespace tanh_coef;
    const float t = x * x;
    // Beyond 8, tanh is within 4 ulp of 1. NaN fails the test and goes on to give NaN; inf gives 1.
    if (t > big_t) return __builtin_copysignf(1.0f, x);
    const float p = ((((p5 * t + p4) * t + p3) * t + p2) * t + p1) * t + 1.0f;
    const float q = (((q4 * t + q3) * t + q2) * t + q1) * t + 1.0f;
    return x * p / q;  // odd in x exactly: p and q see only x^2
}

}  // namespace twolayer::math
