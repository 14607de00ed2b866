// The logarithm the Gaussian samplers share, from +, -, *, / only (no C library enters its bits):
// log(m 2^e) for a mantissa m in [sqrt(1/2), sqrt 2) already split off by the caller, as
//   e ln2_hi + 2 z S(z^2) + e ln2_lo,  z = (m - 1)/(m + 1),  S(t) = sum_{k<Terms} t^k / (2k + 1),
// the odd series of 2 atanh(z) = log m. |z| < 0.172, so each term is 34 times smaller than the
// one before: the caller picks Terms for its precision. m - 1 is exact, so m near 1 keeps its
// relative accuracy. The evaluation order is fixed (Horner from the highest term, constants
// 1/(2k + 1) correctly rounded at compile time), so results are the same bits on every target.
#pragma once

namespace twolayer::math {

// ln 2 split in two: e * ln2_hi is exact for the exponents the samplers meet (ln2_hi has 16
// significant bits in float, 32 in double), ln2_lo is the rest.
template <class T>
struct ln2_split;
template <>
struct ln2_split<float> {
    static constexpr float hi = 0.693145751953125f, lo = 1.42860676533018725e-06f;
};
template <>
struct ln2_split<double> {
    static constexpr double hi = 6.93147180369123816490e-01, lo = 1.90821492927058770002e-10;
};

// 1/(2k + 1) for k < Terms, each correctly rounded in T (compile-time constants: no divisions at
// run time, which matters where double is software).
template <class T, int Terms>
struct odd_reciprocals {
    T v[Terms];
    constexpr odd_reciprocals() : v{} {
        for (int k = 0; k < Terms; ++k) v[k] = T(1) / T(2 * k + 1);
    }
};
template <class T, int Terms>
inline constexpr odd_reciprocals<T, Terms> odd_reciprocals_v{};

// log(m 2^e) for m in [sqrt(1/2), sqrt 2) and an integral e (given in T), with Terms terms of
// the series (truncation about 2 z^(2 Terms + 1) / (2 Terms + 1) relative to the result).
template <int Terms, class T>
inline T log_reduced(T m, T e) {
    static_assert(Terms >= 1, "log_reduced: at least one term");
    const T z = (m - T(1)) / (m + T(1));
    const T z2 = z * z;
    const T* c = odd_reciprocals_v<T, Terms>.v;
    T s = c[Terms - 1];
    for (int k = Terms - 2; k >= 0; --k) s = c[k] + z2 * s;
    return (e * ln2_split<T>::hi + T(2) * z * s) + e * ln2_split<T>::lo;
}

}  // namespace twolayer::math
