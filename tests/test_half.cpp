// f16 and bf16 conversions, exhaustively over all 65536 bit patterns: decoding is exact (checked
// against ldexp), every value converts back to its own pattern, and every midpoint between
// neighbours (and the doubles just beside it) rounds to nearest, ties to even.
#include <cmath>

#include "test_util.hpp"
#include "twolayer/format/half.hpp"

using namespace twolayer;

namespace {

template <class H, int ExpBits, int ManBits>
void exhaustive() {
    const std::uint32_t sign = 1u << (ExpBits + ManBits);
    const std::uint32_t inf_bits = ((1u << ExpBits) - 1u) << ManBits;
    const int bias = (1 << (ExpBits - 1)) - 1;
    int bad_decode = 0, bad_roundtrip = 0, bad_midpoint = 0, bad_nan = 0;
    for (std::uint32_t b = 0; b < sign; ++b) {  // non-negative patterns; negatives by symmetry
        const H h = H::from_bits(std::uint16_t(b));
        if (b > inf_bits) {  // NaN
            bad_nan += !(h.is_nan() && std::isnan(h.to_double()) && H(h.to_double()).is_nan());
            continue;
        }
        const double d = h.to_double();
        if (b == inf_bits) {
            bad_decode += !(std::isinf(d) && d > 0);
            bad_roundtrip += H(d).bits != b || H(-d).bits != (b | sign);
            continue;
        }
        const int e = int(b >> ManBits);
        const double m = double(b & ((1u << ManBits) - 1u));
        const double ref = e == 0 ? std::ldexp(m, 1 - bias - ManBits) : std::ldexp(m + std::ldexp(1.0, ManBits), e - bias - ManBits);
        bad_decode += d != ref;
        bad_roundtrip += H(d).bits != b || H(-d).bits != (b | sign) || H(float(d)).bits != b;
        // Midpoint to the next pattern (for the largest finite value: the overflow threshold).
        const double next = b + 1 == inf_bits ? 2 * ref - H::from_bits(std::uint16_t(b - 1)).to_double()
                                              : H::from_bits(std::uint16_t(b + 1)).to_double();
        const double mid = ref + (next - ref) / 2;  // exact in double
        const std::uint32_t even = (b & 1) ? b + 1 : b;
        bad_midpoint += H(mid).bits != even;
        bad_midpoint += H(std::nextafter(mid, 0.0)).bits != b;
        bad_midpoint += H(std::nextafter(mid, 1e300)).bits != b + 1;
    }
    TL_INFO("    %d-bit exponent: decode %d, round trip %d, midpoints %d, NaN %d mismatches\n", ExpBits,
            bad_decode, bad_roundtrip, bad_midpoint, bad_nan);
    TL_CHECK(bad_decode == 0 && bad_roundtrip == 0 && bad_midpoint == 0 && bad_nan == 0);
}

}  // namespace

TL_TEST(f16_all_patterns) { exhaustive<f16, 5, 10>(); }
TL_TEST(bf16_all_patterns) { exhaustive<bf16, 8, 7>(); }

TL_TEST(half_special_values) {
    TL_CHECK(f16(65504.0).bits == 0x7bff);          // largest finite
    TL_CHECK(f16(65519.99).bits == 0x7bff);
    TL_CHECK(f16(65520.0).is_inf());               // the tie at the top rounds to infinity
    TL_CHECK(f16(1e-8).bits == 0);                 // below half the smallest subnormal
    TL_CHECK(f16(std::ldexp(1.0, -24)).bits == 1); // smallest subnormal
    TL_CHECK(f16(std::ldexp(1.0, -25)).bits == 0); // tie to even: zero
    TL_CHECK(f16(-0.0).bits == 0x8000);
    TL_CHECK(f16(__builtin_nan("")).is_nan());
    TL_CHECK(bf16(1.0f).bits == 0x3f80);
    TL_CHECK(bf16(3.0e38).is_finite() && bf16(3.4e38).is_inf());
    TL_CHECK(double(f16(0.1)) == 0.0999755859375);
}
