// tanh for float, the library's own: x P(x^2) / Q(x^2), a rational minimax fit on [0, 9.1]
// (tools/fit/fit_tanh.py prints these coefficients; its fit error is 1.5e-9 relative), evaluated
// with plain multiplies and adds.
//
// Why not std::tanh: newlib's tanhf is a call of about 100 instructions on a Cortex-M4 (expm1f
// inside), 16 of them in each step of a P = 16 network, a third of the step; and C libraries
// differ in the last bit, so tanh networks could not give the same bits on the host and the board.
// This one is about 30 instructions, branch-free (clamps compile to selects, so loops over it can
// vectorize), and bit-identical on every target: no fused multiply-adds (the library builds with
// -ffp-contract=off), IEEE float multiply, add and a correctly rounded divide.
//
// Accuracy against double tanh rounded to float, measured over all 2^31 non-negative finite
// floats (an exhaustive run on the host; tests/test_activations.cpp samples the same range on
// every target): at most 7 ulp (near x = 6, where the result is within 2^-16 of 1 and the
// rounding of the evaluation dominates the fit's error), mean 0.036 ulp. |result| <= 1, odd,
// exact for |x| < 2^-12 (tanh(x) rounds to x there), NaN in gives NaN out, +-inf give +-1.
// double keeps std::tanh: double is the reference the formats are measured against.
#pragma once

namespace twolayer::math {

inline float tanh_rational(float x) {
    constexpr float p1 = 1.3677788574e-01f, p2 = 3.8656340336e-03f, p3 = 2.7951378606e-05f,
                    p4 = 3.0443417046e-08f, p5 = -1.2092561099e-11f;
    constexpr float q1 = 4.7011120978e-01f, q2 = 2.7236055196e-02f, q3 = 3.9338199071e-04f,
                    q4 = 1.2833575878e-06f;
    float a = x < 0.0f ? -x : x;
    a = a > 9.1f ? 9.1f : a;  // tanh rounds to 1 from 9.011 on; NaN is kept (NaN > c is false)
    const float t = a * a;
    const float p = (((((p5 * t + p4) * t + p3) * t + p2) * t + p1) * t) + 1.0f;
    const float q = ((((q4 * t + q3) * t + q2) * t + q1) * t) + 1.0f;
    float r = a * p / q;
    r = r > 1.0f ? 1.0f : r;  // the rounding can exceed 1 by an ulp near the clamp
    return x < 0.0f ? -r : r;
}

}  // namespace twolayer::math
