// How a trainer stores an updated value in a storage format narrower than its arithmetic.
//
// round_nearest: the nearest stored value. An update smaller than half a step (half an ulp of
// bf16, half of 2^-12 in Q3.12) is then lost entirely, every time: low-precision training stalls
// once the updates become small.
// stochastic_rounding: one of the two neighbours, the upper one with probability equal to the
// fraction of the step covered. The stored value is then right on average and small updates
// accumulate. Random bits come from a counter-based generator (Bits; the trainers use the
// library's Philox stream, train/rounding.hpp), so a run is reproducible from its seed on every
// target.
//
// Both give the same results for native formats (float, double), where nothing is rounded.
#pragma once
#include <cstdint>
#include <cstring>

#include "twolayer/format/traits.hpp"

namespace twolayer {

namespace detail {

// floor(d) as an integer, for |d| < 2^62, without libm.
template <class C>
inline std::int64_t floor_to_int(C d) {
    std::int64_t i = std::int64_t(d);  // truncates toward zero
    if (C(i) > d) --i;
    return i;
}

// Stochastic rounding of d to a binary format with ExpBits/ManBits (f16, bf16), given 32 random
// bits r. Within a binade the target's values are equally spaced, so adding r (aligned to the
// bits that will be dropped) to the bit pattern of |d| and truncating rounds up with probability
// equal to the dropped fraction; a carry moves into the exponent by itself. The result is exactly
// representable, so the final conversion is exact.
template <int ExpBits, int ManBits>
inline std::uint16_t stochastic_to_binary(double d, std::uint32_t r) {
    using fmt = binary_format<ExpBits, ManBits>;
    std::uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    const std::uint64_t sign = b & (std::uint64_t(1) << 63);
    const std::uint64_t mag = b & ~(std::uint64_t(1) << 63);
    const int exp_field = int(mag >> 52);
    if (exp_field == 0x7ff || mag == 0) return std::uint16_t(fmt::from_double(d));  // NaN, Inf, 0
    const int e = exp_field == 0 ? -1023 : exp_field - 1023;
    const int extra = e < fmt::min_exp ? fmt::min_exp - e : 0;  // below the normal range
    const int drop = 52 - ManBits + extra;
    if (drop > 52) {
        // Below the smallest subnormal s: the neighbours are 0 and s.
        const double s = fmt::pow2(fmt::min_exp - ManBits);
        const double p = (sign ? -d : d) / s;  // in (0, 1)
        const double u = double(r) * (1.0 / 4294967296.0);
        const double out = p > u ? s : 0.0;
        return std::uint16_t(fmt::from_double(sign ? -out : out));
    }
    const std::uint64_t mask = (std::uint64_t(1) << drop) - 1;
    const std::uint64_t noise = drop >= 32 ? std::uint64_t(r) << (drop - 32) : std::uint64_t(r) >> (32 - drop);
    const std::uint64_t rounded = ((mag + noise) & ~mask) | sign;
    double out;
    std::memcpy(&out, &rounded, sizeof out);
    return std::uint16_t(fmt::from_double(out));  // exact (or Inf past the range: guarded before)
}

}  // namespace detail

// Stores the nearest value (ties as the format's conversion rounds them); keeps no state.
struct round_nearest {
    static constexpr const char* name = "nearest";

    template <class S, class C>
    S to_storage(C u) { return format_traits<S>::template from<C>(u); }

    // Nearest integer, ties away from zero (as fixed-point conversion rounds), exact for every
    // float and double with |d| < 2^62: the cast truncates, the fraction d - trunc(d) is exact,
    // and it is compared with 1/2. (floor(d + 0.5) is not: d + 0.5 rounds, so 0.49999997f gave 1
    // and 8388609.f gave 8388610.)
    template <class C>
    std::int64_t to_integer(C d) {
        std::int64_t i = std::int64_t(d);  // toward zero
        const C frac = d - C(i);           // exact, in (-1, 1)
        if (frac >= C(0.5)) ++i;
        if (frac <= C(-0.5)) --i;
        return i;
    }
};

// Bits: a generator constructible from (seed, stream) with std::uint32_t next_u32().
template <class Bits>
class basic_stochastic_rounding {
public:
    static constexpr const char* name = "stochastic";

    // The default stream keeps the rounding bits apart from a gaussian_rng with the same seed.
    explicit basic_stochastic_rounding(std::uint64_t seed = 0, std::uint64_t stream = 0x5352) : bits_(seed, stream) {}

    template <class S, class C>
    S to_storage(C u) {
        if constexpr (std::is_same<S, f16>::value || std::is_same<S, bf16>::value) {
            return S::from_bits(detail::stochastic_to_binary<S::exp_bits, S::man_bits>(double(u), bits_.next_u32()));
        } else {
            // Native formats (and float storage with double arithmetic) round to nearest.
            return format_traits<S>::template from<C>(u);
        }
    }

    // floor(d) + 1 with probability d - floor(d).
    template <class C>
    std::int64_t to_integer(C d) {
        const std::int64_t lo = detail::floor_to_int(d);
        const C frac = d - C(lo);  // exact: lo <= d < lo + 1
        // 24 random bits for float (exact in it), 32 for double.
        const std::uint32_t r = bits_.next_u32();
        const C u = sizeof(C) == 4 ? C(r >> 8) * C(1.0 / 16777216.0) : C(r) * C(1.0 / 4294967296.0);
        return frac > u ? lo + 1 : lo;
    }

    Bits& bits() { return bits_; }

private:
    Bits bits_;
};

}  // namespace twolayer
