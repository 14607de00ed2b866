// The elementary functions the library calls, in one place. Most forward to <cmath> (newlib,
// glibc), whose results of erf/exp may differ in the last bit between C libraries; float tanh is
// the library's own (core/tanh_float.hpp): fast on microcontrollers and the same bits everywhere.
#pragma once
#include <cmath>

#include "twolayer/core/config.hpp"
#include "twolayer/core/tanh_float.hpp"

namespace twolayer::math {

template <class T> inline T sqrt(T x) { return std::sqrt(x); }
template <class T> inline T exp(T x) { return std::exp(x); }
template <class T> inline T erf(T x) { return std::erf(x); }
template <class T> inline T tanh(T x) { return std::tanh(x); }
TWOLAYER_INLINE float tanh(float x) { return tanh_rational(x); }  // preferred for float arguments
template <class T> inline T log1p(T x) { return std::log1p(x); }
template <class T> inline T abs(T x) { return x < T(0) ? -x : x; }

// The logistic function 1 / (1 + exp(-x)), evaluated on the side where exp cannot overflow.
template <class T>
inline T sigmoid(T x) {
    if (x >= T(0)) return T(1) / (T(1) + exp(-x));
    const T e = exp(x);
    return e / (T(1) + e);
}

// True for finite values; written without <cmath>'s isfinite so it also works for wrapped
// formats, and it survives -ffast-math-free builds exactly (x - x is 0 only when x is finite).
template <class T> inline bool isfinite(T x) { return (x - x) == T(0); }

}  // namespace twolayer::math
