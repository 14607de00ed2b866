// Fixed-point Q15 and Q31: explicit conversions, saturating arithmetic, round to nearest, and
// counters a user can read for every saturation and every invalid conversion (NaN). Nothing here
// is undefined: out-of-range values saturate and are counted, they never wrap.
#pragma once
#include <cstdint>

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

// Event counters per fixed-point type (single-threaded firmware; read and reset them between runs).
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
    double to_double() const { return double(raw) * resolution; }
    explicit operator double() const { return to_double(); }
    explicit operator float() const { return float(to_double()); }

    static fixed_counters& counters() {
        static fixed_counters c;
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
    static Raw convert(double d) {
        if (d != d) { ++counters().invalid; return 0; }
        const double scaled = d * double(Wide(1) << Frac);  // exact: a power of two
        if (scaled >= double(raw_max) + 0.5) { ++counters().saturations; return raw_max; }
        if (scaled <= double(raw_min) - 0.5) { ++counters().saturations; return raw_min; }
        // In range: the cast truncates toward zero, so round half away from zero first.
        const double r = scaled >= 0 ? scaled + 0.5 : scaled - 0.5;
        Wide w = Wide(r);
        return Raw(w);
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
