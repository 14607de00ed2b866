// The elementary functions the library calls, in one place. Most forward to <cmath> (newlib,
// glibc), whose results of erf/exp may differ in the last bit between C libraries; float tanh is
// the library's own (core/tanh_float.hpp): fast on microcontrollers and the same bits everywhere.
#pragma once
#include <cmath>
#include <type_traits>

#include "twolayer/core/config.hpp"
#include "twolayer/core/fp_contract.hpp"
#include "twolayer/core/tanh_float.hpp"
#include "twolayer/format/fixed.hpp"
#include "twolayer/format/half.hpp"
#include "twolayer/format/ieee.hpp"

namespace twolayer::math {

template <class T> inline T sqrt(T x) { return std::sqrt(x); }
template <class T> inline T exp(T x) { return std::exp(x); }
template <class T> inline T erf(T x) { return std::erf(x); }
template <class T> inline T tanh(T x) { return std::tanh(x); }
TWOLAYER_INLINE float tanh(float x) { return tanh_rational(x); }  // preferred for float arguments
template <class T> inline T log1p(T x) { return std::log1p(x); }
template <class T> inline T abs(T x) { return x < T(0) ? -x : x; }
// float and double: std::fabs, one VABS on an FPU, where the comparison above costs a compare, a
// flags move and a conditional negate (the guard takes several per updated value: on the
// Cortex-M4 ~9 instructions per unit of the SGD step, docs/BENCHMARKS.md). It also gives +0 for
// -0, as |x| should.
TWOLAYER_INLINE float abs(float x) { return std::fabs(x); }
TWOLAYER_INLINE double abs(double x) { return std::fabs(x); }

// The logistic function 1 / (1 + exp(-x)), evaluated on the side where exp cannot overflow.
template <class T>
inline T sigmoid(T x) {
    if (x >= T(0)) return T(1) / (T(1) + exp(-x));
    const T e = exp(x);
    return e / (T(1) + e);
}

// True for finite values, by the bit pattern (format/ieee.hpp): it holds under -ffast-math and
// -ffinite-math-only, which fold std::isfinite and `(x - x) == 0` to true. Every finiteness test
// of the library goes through these (or through kernels::absmax, an integer scan of the bits).
template <class T, std::enable_if_t<std::is_floating_point<T>::value, int> = 0>
inline bool isfinite(T x) { return detail::finite_by_bits(x); }
// f16 and bf16: their own bits.
template <int E, int M>
inline bool isfinite(basic_half<E, M> x) { return x.is_finite(); }
// Fixed point and integers have no NaN or infinity.
template <class Raw, class Wide, int Frac>
inline bool isfinite(fixed<Raw, Wide, Frac>) { return true; }
template <class T, std::enable_if_t<std::is_integral<T>::value, int> = 0>
inline bool isfinite(T) { return true; }

// True for NaN, by the bit pattern (never `x != x`, which -ffast-math folds to false).
template <class T, std::enable_if_t<std::is_floating_point<T>::value, int> = 0>
inline bool isnan(T x) { return detail::nan_by_bits(x); }

}  // namespace twolayer::math
