// NaN, infinities and subnormals made from bit patterns, and their tests by bit pattern, for the
// tests that also run built with -ffast-math / -ffinite-math-only (twolayer_add_fast_math_test).
// Under those flags the compiler may assume no value is NaN or infinite: 0/0 and 1/0 may be
// folded to anything and `x != x` to false. A value copied in from its bits is what it is, and
// a test of its bits cannot be folded away.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tl_test {

// The unsigned integer of T's size, T = float or double.
template <class T>
using float_bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
T from_bits(float_bits_t<T> b) {
    static_assert(std::is_floating_point<T>::value && (sizeof(T) == 4 || sizeof(T) == 8), "float or double");
    T x;
    std::memcpy(&x, &b, sizeof x);
    return x;
}
template <class T>
float_bits_t<T> bits_of(T x) {
    float_bits_t<T> b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

// The default quiet NaN (exponent all ones, top fraction bit set).
template <class T>
T quiet_nan() {
    return sizeof(T) == 4 ? from_bits<T>(float_bits_t<T>(0x7fc00000u)) : from_bits<T>(float_bits_t<T>(0x7ff8000000000000ull));
}
// +infinity (exponent all ones, fraction 0).
template <class T>
T infinity() {
    return sizeof(T) == 4 ? from_bits<T>(float_bits_t<T>(0x7f800000u)) : from_bits<T>(float_bits_t<T>(0x7ff0000000000000ull));
}
// The smallest positive subnormal.
template <class T>
T min_subnormal() {
    return from_bits<T>(float_bits_t<T>(1));
}

// True for NaN, by its bits: exponent all ones and a nonzero fraction.
template <class T>
bool is_nan_bits(T x) {
    const float_bits_t<T> mag = bits_of(x) & ~(float_bits_t<T>(1) << (8 * sizeof(T) - 1));
    return mag > bits_of(infinity<T>());
}

// True when this program flushes subnormal operands or results to zero (FTZ/DAZ: what linking
// with -ffast-math sets on x86). Decided by bits: a subnormal doubled must give the subnormal
// twice as large.
inline bool subnormals_flushed() {
    volatile float s = min_subnormal<float>();
    const float twice = s * 2.0f;
    return bits_of(twice) != 2u;
}

}  // namespace tl_test
