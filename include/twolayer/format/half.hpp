// f16 (IEEE binary16) and bf16 (bfloat16) as storage types. Arithmetic happens in float (or in
// native half instructions on targets that have them, in the kernels); conversions are correctly
// rounded and explicit.
#pragma once
#include "twolayer/format/binary_float.hpp"

namespace twolayer {

// A 16-bit binary floating-point number with ExpBits exponent and ManBits mantissa bits, kept as
// its bit pattern; every conversion is explicit and correctly rounded (ties to even).
template <int ExpBits, int ManBits>
class basic_half {
    using fmt = detail::binary_format<ExpBits, ManBits>;

public:
    static constexpr int exp_bits = ExpBits;
    static constexpr int man_bits = ManBits;
    std::uint16_t bits = 0;

    constexpr basic_half() = default;
    // The number with bit pattern b; constexpr, so a header of constant arrays (`twolayer export`)
    // can hold the exact bits.
    static constexpr basic_half from_bits(std::uint16_t b) { basic_half h; h.bits = b; return h; }
    static basic_half from_double(double d) { return from_bits(std::uint16_t(fmt::from_double(d))); }
    explicit basic_half(double d) : bits(std::uint16_t(fmt::from_double(d))) {}
    explicit basic_half(float f) : bits(std::uint16_t(fmt::from_float(f))) {}
    double to_double() const { return fmt::to_double(bits); }
    explicit operator double() const { return to_double(); }
    explicit operator float() const { return float(to_double()); }  // exact: every value fits

    bool is_nan() const { return (bits & fmt::exp_mask) == fmt::exp_mask && (bits & fmt::man_mask); }
    bool is_inf() const { return (bits & ~fmt::sign_bit) == fmt::exp_mask; }
    bool is_finite() const { return (bits & fmt::exp_mask) != fmt::exp_mask; }
};

// The two 16-bit formats networks can be stored in.
using f16 = basic_half<5, 10>;   // 1 sign, 5 exponent, 10 mantissa bits: range 6.1e-5 .. 65504
using bf16 = basic_half<8, 7>;   // float's range, 8 significant bits

}  // namespace twolayer
