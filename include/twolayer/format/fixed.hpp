// Fixed-point Q15 and Q31: explicit conversions, saturating arithmetic, round to nearest, and
// counters a user can read for every saturation and every invalid conversion (NaN). Nothing here
// is undefined: out-of-range values saturate and are counted, they never wrap.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "twolayer/format/ieee.hpp"

namespace twolayer {

namespace detail {
// "q<integer bits>_<fraction bits>", built at compile time for the traits' name.
struct q_name_buf {
    char s[8] = {};
    constexpr q_name_buf(int ibits, int fbits) {
        int n = 0;
        s[n++] = 'q';
        if (ibits >= 10) s[n++] = char('0' + ibits / 10);
        s[n++] = char('0' + ibits % 10);
        s[n++] = '_';
        if (fbits >= 10) s[n++] = char('0' + fbits / 10);
        s[n++] = char('0' + fbits % 10);
    }
};
}  // namespace detail

// Where the platform has threads (a hosted OS: the research tool runs chains on several threads),
// each thread has its own counters, so counting is no data race and a thread reads the events of
// its own work; on bare metal (no thread-local storage without an OS) there is one instance.
#if defined(__linux__) || defined(__APPLE__) || defined(_WIN32)
#define TWOLAYER_FIXED_COUNTERS_STORAGE thread_local
#else
#define TWOLAYER_FIXED_COUNTERS_STORAGE
#endif

// Event counters per fixed-point type (per thread on a hosted OS, above; read and reset them
// between runs).
struct fixed_counters {
    std::uint32_t saturations = 0;  // results clamped to the range
    std::uint32_t invalid = 0;      // NaN converted (gives 0)
};

template <class Raw, class Wide, int Frac>
class fixed {
    static_assert(sizeof(Wide) >= 2 * sizeof(Raw), "fixed: the wide type must hold a full product");

public:
    using raw_type = Raw;
    using wide_type = Wide;
    static constexpr int frac_bits = Frac;
    static constexpr Raw raw_max = Raw((Wide(1) << (8 * sizeof(Raw) - 1)) - 1);
    static constexpr Raw raw_min = Raw(-raw_max - 1);
    static constexpr double resolution = 1.0 / double(Wide(1) << Frac);
    static constexpr double max = double(raw_max) * resolution;
    static constexpr double min = double(raw_min) * resolution;
    static constexpr int int_bits = int(8 * sizeof(Raw)) - 1 - Frac;
    static constexpr detail::q_name_buf name_buf{int_bits, Frac};
    static constexpr const char* name = name_buf.s;

    Raw raw = 0;

    constexpr fixed() = default;
    static constexpr fixed from_raw(Raw r) { fixed f; f.raw = r; return f; }
    // Round to nearest (ties away from zero); saturate and count outside [min, max]; NaN -> 0.
    explicit fixed(double d) : raw(convert(d)) {}
    // The same value as fixed(double(f)), counters included, by integer work on f's bits: no
    // double arithmetic (a Cortex-M4 has none in hardware: seven library calls per conversion).
    static fixed from_float(float f) { return from_raw(convert_float(f)); }
    double to_double() const { return double(raw) * resolution; }
    explicit operator double() const { return to_double(); }
    explicit operator float() const { return float(to_double()); }

    /// This type's event counters (the calling thread's on a hosted OS).
    static fixed_counters& counters() {
        static TWOLAYER_FIXED_COUNTERS_STORAGE fixed_counters c;
        return c;
    }

    friend fixed operator+(fixed a, fixed b) { return from_raw(saturate(Wide(a.raw) + Wide(b.raw))); }
    friend fixed operator-(fixed a, fixed b) { return from_raw(saturate(Wide(a.raw) - Wide(b.raw))); }
    friend fixed operator-(fixed a) { return from_raw(saturate(-Wide(a.raw))); }
    // Product rounded to nearest: (a b + 2^(Frac-1)) >> Frac, then saturated (-1 * -1 saturates).
    friend fixed operator*(fixed a, fixed b) {
        const Wide p = Wide(a.raw) * Wide(b.raw);
        return from_raw(saturate(shift_round(p, Frac)));
    }
    fixed& operator+=(fixed o) { return *this = *this + o; }
    fixed& operator-=(fixed o) { return *this = *this - o; }
    fixed& operator*=(fixed o) { return *this = *this * o; }
    friend bool operator==(fixed a, fixed b) { return a.raw == b.raw; }
    friend bool operator!=(fixed a, fixed b) { return a.raw != b.raw; }
    friend bool operator<(fixed a, fixed b) { return a.raw < b.raw; }
    friend bool operator>(fixed a, fixed b) { return a.raw > b.raw; }
    friend bool operator<=(fixed a, fixed b) { return a.raw <= b.raw; }
    friend bool operator>=(fixed a, fixed b) { return a.raw >= b.raw; }

    // Clamp a wide value into Raw, counting clamps.
    static Raw saturate(Wide w) {
        if (w > Wide(raw_max)) { ++counters().saturations; return raw_max; }
        if (w < Wide(raw_min)) { ++counters().saturations; return raw_min; }
        return Raw(w);
    }
    // Arithmetic shift right by s with round to nearest, ties up (the usual DSP rounding).
    static Wide shift_round(Wide w, int s) { return (w + (Wide(1) << (s - 1))) >> s; }

private:
    using UWide = std::make_unsigned_t<Wide>;

    // The saturated result for a magnitude past the range, counted.
    static Raw saturated(bool negative) {
        ++counters().saturations;
        return negative ? raw_min : raw_max;
    }

    // NaN (counted invalid, gives 0) and the infinities (saturate) from the bits: under
    // -ffast-math `d != d` is false and comparisons with infinity may be folded.
    template <class T>
    static bool nonfinite(T x, Raw& out) {
        if (detail::finite_by_bits(x)) return false;
        if (detail::nan_by_bits(x)) {
            ++counters().invalid;
            out = 0;
        } else {
            out = saturated(detail::sign_by_bits(x));
        }
        return true;
    }

    static Raw convert(double d) {
        Raw out;
        if (nonfinite(d, out)) return out;
        const double scaled = d * double(Wide(1) << Frac);  // exact: a power of two
        if (scaled >= double(raw_max) + 0.5) return saturated(false);
        if (scaled <= double(raw_min) - 0.5) return saturated(true);
        // In range (|scaled| < 2^(bits of Raw)): the cast truncates toward zero and the fraction
        // left is exact, so the tie rule (half away from zero) is applied exactly. (Adding 0.5
        // before the cast would round 0.5 - 2^-54 up to 1.)
        Wide w = Wide(scaled);
        const double frac = scaled - double(w);
        if (frac >= 0.5) ++w;
        if (frac <= -0.5) --w;
        return Raw(w);
    }

    // f = m 2^(e - 150) with the 24-bit significand m (normal) or m 2^-149 (subnormal), so
    // f 2^Frac = m 2^shift. Rounding the magnitude half away from zero is rounding f so; the
    // result saturates where the rounded magnitude leaves the range, exactly where the double
    // route's `scaled >= raw_max + 0.5` and `scaled <= raw_min - 0.5` do.
    static Raw convert_float(float f) {
        Raw out;
        if (nonfinite(f, out)) return out;
        std::uint32_t b;
        std::memcpy(&b, &f, sizeof b);
        const bool negative = (b >> 31) != 0;
        const int e = int((b >> 23) & 0xffu);
        const std::uint32_t m = e != 0 ? (b & 0x7fffffu) | 0x800000u : (b & 0x7fffffu);
        const int shift = (e != 0 ? e : 1) - 150 + Frac;
        constexpr int ubits = int(8 * sizeof(UWide));
        UWide mag;
        if (shift >= 0) {
            // A normal m >= 2^23 shifted past ubits - 25 is >= 2^(ubits - 2) > any raw magnitude
            // (UWide has twice Raw's bits); below that the shift cannot overflow UWide.
            if (shift > ubits - 25) return saturated(negative);
            mag = UWide(m) << shift;
        } else if (shift <= -25) {
            mag = 0;  // m 2^shift < 2^24 2^-25 = 1/2
        } else {
            mag = (UWide(m) + (UWide(1) << (-shift - 1))) >> (-shift);
        }
        const UWide limit = negative ? UWide(raw_max) + 1u : UWide(raw_max);
        if (mag > limit) return saturated(negative);
        return negative ? Raw(-Wide(mag)) : Raw(mag);
    }
};

// Q0.15 and Q0.31: the classic DSP formats in [-1, 1); too narrow for network weights (below).
using q15 = fixed<std::int16_t, std::int32_t, 15>;  // [-1, 1 - 2^-15], step 2^-15
using q31 = fixed<std::int32_t, std::int64_t, 31>;  // [-1, 1 - 2^-31], step 2^-31

// The 16- and 32-bit formats networks are stored in. Gaussian inputs and weights are O(1) with
// tails past 4, which Q0.15 / Q0.31 cannot hold; these keep the same words with the binary point
// moved (a fixed per-tensor scale of 2^3 and 2^4): [-8, 8) in steps of 2^-12, and [-16, 16) in
// steps of 2^-27. The Q15 and Q31 networks of docs/FORMATS.md are these.
using q3_12 = fixed<std::int16_t, std::int32_t, 12>;
using q4_27 = fixed<std::int32_t, std::int64_t, 27>;

}  // namespace twolayer
