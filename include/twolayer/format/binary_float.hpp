// Correctly rounded conversion between double and small IEEE-style binary formats (binary16,
// bfloat16), by integer arithmetic on the bit patterns: round to nearest, ties to even, with
// subnormals, infinities and NaN. Converting from double directly (not through float) avoids
// double rounding.
#pragma once
#include <cstdint>
#include <cstring>

namespace twolayer::detail {

template <int ExpBits, int ManBits>
struct binary_format {
    static constexpr int bias = (1 << (ExpBits - 1)) - 1;
    static constexpr int min_exp = 1 - bias;  // exponent of the smallest normal
    static constexpr std::uint32_t exp_mask = ((1u << ExpBits) - 1u) << ManBits;
    static constexpr std::uint32_t man_mask = (1u << ManBits) - 1u;
    static constexpr std::uint32_t sign_bit = 1u << (ExpBits + ManBits);
    static constexpr std::uint32_t quiet_nan = exp_mask | (1u << (ManBits - 1));

    static std::uint32_t from_double(double d) {
        std::uint64_t b;
        std::memcpy(&b, &d, sizeof b);
        const std::uint32_t sign = (b >> 63) ? sign_bit : 0u;
        const int exp = int((b >> 52) & 0x7ff);
        const std::uint64_t man = b & ((std::uint64_t(1) << 52) - 1);
        if (exp == 0x7ff) return sign | (man ? quiet_nan : exp_mask);
        if (exp == 0) return sign;  // double subnormals are far below every target's range
        const int e = exp - 1023;
        const std::uint64_t m = (std::uint64_t(1) << 52) | man;  // value = m 2^(e - 52)
        // Target significand as an integer q: normal q = m 2^(ManBits - 52), subnormal scaled to
        // the subnormal spacing 2^(min_exp - ManBits).
        const int shift = e >= min_exp ? 52 - ManBits : 52 - ManBits + (min_exp - e);
        if (shift >= 64) return sign;
        std::uint64_t q = m >> shift;
        const std::uint64_t rem = m & ((std::uint64_t(1) << shift) - 1);
        const std::uint64_t half = std::uint64_t(1) << (shift - 1);
        if (rem > half || (rem == half && (q & 1))) ++q;
        // A carry out of the significand moves into the exponent field by itself.
        const std::uint64_t bits = e >= min_exp ? (std::uint64_t(e + bias) << ManBits) + (q - (std::uint64_t(1) << ManBits))
                                                : q;
        if (bits >= exp_mask) return sign | exp_mask;  // overflow: infinity
        return sign | std::uint32_t(bits);
    }

    // The same rounding from a float with 32-bit integer work only (no double on the way: a
    // Cortex-M4 has none in hardware). Equal to from_double(double(f)) for every float.
    static std::uint32_t from_float(float f) {
        std::uint32_t b;
        std::memcpy(&b, &f, sizeof b);
        const std::uint32_t sign = (b >> 31) ? sign_bit : 0u;
        const int exp = int((b >> 23) & 0xff);
        const std::uint32_t man = b & 0x7fffffu;
        if (exp == 0xff) return sign | (man ? quiet_nan : exp_mask);
        // value = m 2^(e - 23); float subnormals have no implicit bit and e = -126.
        const int e = exp == 0 ? -126 : exp - 127;
        const std::uint32_t m = exp == 0 ? man : (man | 0x800000u);
        const int shift = e >= min_exp ? 23 - ManBits : 23 - ManBits + (min_exp - e);
        if (shift >= 32 || m == 0) return sign;
        std::uint32_t q = m >> shift;
        const std::uint32_t rem = m & ((1u << shift) - 1u);
        const std::uint32_t half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1u))) ++q;
        const std::uint32_t bits = e >= min_exp ? (std::uint32_t(e + bias) << ManBits) + (q - (1u << ManBits)) : q;
        if (bits >= exp_mask) return sign | exp_mask;
        return sign | bits;
    }

    static double to_double(std::uint32_t bits) {
        const bool neg = bits & sign_bit;
        const int exp = int((bits & exp_mask) >> ManBits);
        const std::uint32_t man = bits & man_mask;
        double v;
        if (exp == int(exp_mask >> ManBits)) {
            // NaN or infinity as a bit pattern (the sign is applied below).
            const std::uint64_t b = man ? 0x7ff8000000000000ull : 0x7ff0000000000000ull;
            std::memcpy(&v, &b, sizeof v);
        } else {
            // Exact: significand times a power of two, both representable in double.
            const int e = exp == 0 ? min_exp : exp - bias;
            const double sig = double(exp == 0 ? man : (man | (1u << ManBits)));
            v = sig * pow2(e - ManBits);
        }
        return neg ? -v : v;
    }

    static double pow2(int k) {
        std::uint64_t b = std::uint64_t(k + 1023) << 52;  // k within double's normal range here
        double d;
        std::memcpy(&d, &b, sizeof d);
        return d;
    }
};

}  // namespace twolayer::detail
