// Finiteness and NaN tests of float, double and long double by their bit patterns. The library is
// header-only, so its users' flags apply to it: under -ffast-math or -ffinite-math-only the
// compiler may assume that no value is NaN or infinite and fold `x != x`, `(x - x) == 0`,
// std::isfinite and comparisons that NaN is meant to fail into constants. A value's bits,
// copied into an unsigned integer, are what they are under any flags: exponent field all ones
// means NaN or infinity (IEEE 754 binary32, binary64, the x87 80-bit format and binary128).
#pragma once
#include <cfloat>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace twolayer::detail {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "twolayer: the bit-pattern tests of format/ieee.hpp assume a little-endian target"
#endif

// The 64-bit word of x's representation that holds its sign and exponent, and the masks of its
// exponent field and of the fraction bits in that word (the x87 format's explicit integer bit,
// bit 63 of the low word, is not part of the fraction).
template <class T>
struct ieee_word;

// float and double: the whole representation is one word of U.
template <class T, class U, std::uint64_t ExpMask, std::uint64_t FractionMask>
struct ieee_single_word {
    static_assert(sizeof(T) == sizeof(U), "one word");
    static std::uint64_t get(T x) {
        U b;
        std::memcpy(&b, &x, sizeof b);
        return b;
    }
    static constexpr std::uint64_t exp_mask = ExpMask;
    static constexpr std::uint64_t fraction_mask = FractionMask;
    static bool low_fraction(T) { return false; }
};

template <>
struct ieee_word<float> : ieee_single_word<float, std::uint32_t, 0x7f800000u, 0x007fffffu> {};
template <>
struct ieee_word<double> : ieee_single_word<double, std::uint64_t, 0x7ff0000000000000ull, 0x000fffffffffffffull> {};

#if LDBL_MANT_DIG == 53  // long double is double (32-bit Arm, MSVC)
template <>
struct ieee_word<long double>
    : ieee_single_word<long double, std::uint64_t, ieee_word<double>::exp_mask, ieee_word<double>::fraction_mask> {};
#else
template <>
struct ieee_word<long double> {
#if LDBL_MANT_DIG == 64  // x87 extended: 64-bit significand, then sign and 15-bit exponent
    static std::uint64_t get(long double x) {
        std::uint16_t se;
        std::memcpy(&se, reinterpret_cast<const unsigned char*>(&x) + 8, sizeof se);
        return se;
    }
    static constexpr std::uint64_t exp_mask = 0x7fffu;
    static constexpr std::uint64_t fraction_mask = 0;
    static bool low_fraction(long double x) {
        std::uint64_t lo;
        std::memcpy(&lo, &x, sizeof lo);
        return (lo & 0x7fffffffffffffffull) != 0;
    }
#elif LDBL_MANT_DIG == 113  // binary128 (AArch64, RISC-V): the high word holds sign, exponent, 48 fraction bits
    static std::uint64_t get(long double x) {
        std::uint64_t hi;
        std::memcpy(&hi, reinterpret_cast<const unsigned char*>(&x) + 8, sizeof hi);
        return hi;
    }
    static constexpr std::uint64_t exp_mask = 0x7fff000000000000ull;
    static constexpr std::uint64_t fraction_mask = 0x0000ffffffffffffull;
    static bool low_fraction(long double x) {
        std::uint64_t lo;
        std::memcpy(&lo, &x, sizeof lo);
        return lo != 0;
    }
#else
#error "twolayer: unknown long double format (format/ieee.hpp)"
#endif
};
#endif

// True unless x is NaN or infinite: its exponent field is not all ones.
template <class T>
inline bool finite_by_bits(T x) {
    static_assert(std::is_floating_point<T>::value, "finite_by_bits: float, double or long double");
    return (ieee_word<T>::get(x) & ieee_word<T>::exp_mask) != ieee_word<T>::exp_mask;
}

// True for NaN: exponent field all ones and a nonzero fraction (infinity has fraction 0).
template <class T>
inline bool nan_by_bits(T x) {
    static_assert(std::is_floating_point<T>::value, "nan_by_bits: float, double or long double");
    const std::uint64_t w = ieee_word<T>::get(x);
    return (w & ieee_word<T>::exp_mask) == ieee_word<T>::exp_mask &&
           ((w & ieee_word<T>::fraction_mask) != 0 || ieee_word<T>::low_fraction(x));
}

// True when x is negative or -0 (its sign bit), whatever the flags.
template <class T>
inline bool sign_by_bits(T x) {
    const std::uint64_t w = ieee_word<T>::get(x);
    return (w & ((ieee_word<T>::exp_mask << 1) & ~ieee_word<T>::exp_mask)) != 0;
}

}  // namespace twolayer::detail
