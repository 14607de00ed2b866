// Numbers at their edges, under any flags (this file is also built with -ffast-math and with
// -ffinite-math-only): finiteness by bit pattern, exact round-half-away-from-zero, the float ->
// fixed-point conversion without double (the same bits and counters as the double route), the
// accumulator's dot length, and the check that FP contraction is off in the project's build.
#include <cfloat>
#include <cstdint>
#include <cstring>

#include "nonfinite.hpp"
#include "test_util.hpp"

using namespace twolayer;

bool probe_fp_contract_off();  // fp_contract_probe.cpp: compiled with -ffp-contract=fast
bool probe_may_fuse();         // whether that unit's target has fused multiply-add

namespace {

// ---- finiteness ----

template <class T>
bool finiteness_ok() {
    using tl_test::from_bits;
    using U = tl_test::float_bits_t<T>;
    constexpr int bits = 8 * sizeof(T);
    const U sign = U(1) << (bits - 1);
    const T nan = tl_test::quiet_nan<T>(), inf = tl_test::infinity<T>();
    const U inf_bits = tl_test::bits_of(inf);
    const T signalling = from_bits<T>(inf_bits | 1u), neg_nan = from_bits<T>(tl_test::bits_of(nan) | sign);
    const T neg_inf = from_bits<T>(inf_bits | sign);
    bool ok = true;
    for (T x : {nan, signalling, neg_nan}) ok = ok && !math::isfinite(x) && math::isnan(x);
    for (T x : {inf, neg_inf}) ok = ok && !math::isfinite(x) && !math::isnan(x);
    const T largest = from_bits<T>(inf_bits - 1), tiny = tl_test::min_subnormal<T>();
    for (T x : {T(0), from_bits<T>(sign), T(1), T(-1), largest, from_bits<T>((inf_bits - 1) | sign), tiny})
        ok = ok && math::isfinite(x) && !math::isnan(x);
    return ok;
}

TL_TEST(isfinite_and_isnan_read_the_bits) {
    TL_CHECK(finiteness_ok<float>());
    TL_CHECK(finiteness_ok<double>());
    // long double (x87 80-bit, binary128 or double, by target) from float's NaN and infinity.
    const long double lnan = tl_test::quiet_nan<double>(), linf = tl_test::infinity<double>();
    TL_CHECK(!math::isfinite(lnan) && math::isnan(lnan));
    TL_CHECK(!math::isfinite(linf) && !math::isnan(linf) && !math::isfinite(-linf));
    TL_CHECK(math::isfinite(1.0L) && math::isfinite(-0.0L) && math::isfinite((long double)(DBL_MAX)));
    // The 16-bit formats and fixed point.
    TL_CHECK(!math::isfinite(f16::from_bits(0x7e00)) && !math::isfinite(f16::from_bits(0xfc00)));
    TL_CHECK(math::isfinite(f16::from_bits(0x7bff)) && math::isfinite(bf16::from_bits(0x7f7f)));
    TL_CHECK(!math::isfinite(bf16::from_bits(0x7fc0)) && !math::isfinite(bf16::from_bits(0xff80)));
    TL_CHECK(math::isfinite(q4_27::from_raw(q4_27::raw_min)));
    // f16 / bf16 from float and double NaN / inf keep them (bit-pattern conversions).
    TL_CHECK(f16(tl_test::quiet_nan<float>()).is_nan() && f16(tl_test::infinity<double>()).is_inf());
    TL_CHECK(bf16(tl_test::quiet_nan<double>()).is_nan() && bf16(tl_test::infinity<float>()).is_inf());
}

// ---- round half away from zero ----

// Exact reference by integers: d = m 2^k; |d| < 2^62.
std::int64_t round_reference(double d) {
    const std::uint64_t b = tl_test::bits_of(d);
    const bool neg = (b >> 63) != 0;
    const int e = int((b >> 52) & 0x7ff);
    const std::uint64_t m = e ? (b & 0xfffffffffffffull) | (1ull << 52) : (b & 0xfffffffffffffull);
    const int k = (e ? e : 1) - 1075;
    std::uint64_t q;
    if (k >= 0) {
        q = m << k;
    } else if (-k >= 64) {
        q = 0;
    } else {
        q = m >> -k;
        const std::uint64_t rem = m & ((1ull << -k) - 1), half = 1ull << (-k - 1);
        if (rem >= half) ++q;
    }
    return neg ? -std::int64_t(q) : std::int64_t(q);
}

TL_TEST(round_nearest_to_integer_boundaries) {
    round_nearest r;
    // Below one half: 0; half: away from zero; past 2^23 every float is an integer.
    TL_CHECK(r.to_integer(0.49999997f) == 0 && r.to_integer(-0.49999997f) == 0);
    TL_CHECK(r.to_integer(0.5f) == 1 && r.to_integer(-0.5f) == -1);
    TL_CHECK(r.to_integer(1.5f) == 2 && r.to_integer(2.5f) == 3 && r.to_integer(-2.5f) == -3);
    TL_CHECK(r.to_integer(8388609.f) == 8388609 && r.to_integer(-8388609.f) == -8388609);
    TL_CHECK(r.to_integer(8388607.5f) == 8388608 && r.to_integer(16777215.f) == 16777215);
    TL_CHECK(r.to_integer(0.49999999999999994) == 0 && r.to_integer(-0.49999999999999994) == 0);
    TL_CHECK(r.to_integer(4503599627370497.0) == 4503599627370497ll);  // 2^52 + 1
    TL_CHECK(r.to_integer(2251799813685248.5) == 2251799813685249ll);  // 2^51 + 1/2
    TL_CHECK(r.to_integer(tl_test::min_subnormal<float>()) == 0 && r.to_integer(-0.0) == 0);
    TL_CHECK(r.to_integer(4611686018427387904.0f * 0.99999994f) == round_reference(4611686018427387904.0 * 0.99999994f));
}

TL_TEST(round_nearest_to_integer_sweep) {
    round_nearest r;
    long bad = 0, n = 0;
    // Floats of every exponent below 2^62 (positive and negative), by a stride through the bits.
    for (std::uint32_t b = 0; b < 0x5e800000u; b += 4093u) {
        for (std::uint32_t s : {0u, 0x80000000u}) {
            const float f = tl_test::from_bits<float>(b | s);
            bad += r.to_integer(f) != round_reference(f);
            ++n;
        }
    }
    // Every float within 64 ulps of k + 1/2, k < 4096 and at 2^22 .. 2^24.
    for (std::uint32_t k = 0; k < 4096; ++k) {
        for (float centre : {float(k) + 0.5f, float(4194304u + k) + 0.5f, float(8388608u + 2 * k)}) {
            const std::uint32_t c = tl_test::bits_of(centre);
            for (std::uint32_t d = c - 64; d != c + 65; ++d) {
                const float f = tl_test::from_bits<float>(d);
                bad += r.to_integer(f) != round_reference(f) || r.to_integer(-f) != round_reference(-f);
                ++n;
            }
        }
    }
    // Doubles: a stride through the bits below 2^62, and the neighbours of halves.
    for (std::uint64_t b = 0; b < 0x43d0000000000000ull; b += 0x43d0000000000000ull / 200003u) {
        const double d = tl_test::from_bits<double>(b);
        bad += r.to_integer(d) != round_reference(d) || r.to_integer(-d) != round_reference(-d);
        ++n;
    }
    for (std::uint64_t k = 0; k < 2048; ++k) {
        for (double centre : {double(k) + 0.5, double((1ull << 51) + k) + 0.5, double((1ull << 52) + k)}) {
            const std::uint64_t c = tl_test::bits_of(centre);
            for (std::uint64_t d = c - 8; d != c + 9; ++d) {
                const double x = tl_test::from_bits<double>(d);
                bad += r.to_integer(x) != round_reference(x) || r.to_integer(-x) != round_reference(-x);
                ++n;
            }
        }
    }
    TL_INFO("    %ld values, %ld wrong\n", n, bad);
    TL_CHECK(bad == 0);
}

}  // namespace

// ---- float -> fixed point without double ----

namespace {

// The double route as it was before the float conversion existed (scaled +- 1/2, truncated), for
// a float input: the conversion from_float must reproduce. NaN and infinities by bits here, as
// this file may be built with -ffast-math.
template <class Q>
typename Q::raw_type old_double_route(float f, fixed_counters& c) {
    using Wide = typename Q::wide_type;
    if (tl_test::is_nan_bits(f)) { ++c.invalid; return 0; }
    const double d = f;
    if (!math::isfinite(d)) { ++c.saturations; return tl_test::bits_of(f) >> 31 ? Q::raw_min : Q::raw_max; }
    const double scaled = d * double(Wide(1) << Q::frac_bits);
    if (scaled >= double(Q::raw_max) + 0.5) { ++c.saturations; return Q::raw_max; }
    if (scaled <= double(Q::raw_min) - 0.5) { ++c.saturations; return Q::raw_min; }
    const double r = scaled >= 0 ? scaled + 0.5 : scaled - 0.5;
    return typename Q::raw_type(Wide(r));
}

// from_float(f) against fixed(double(f)) and against the old route: raw bits and counters.
template <class Q>
struct float_route_check {
    long values = 0, bad = 0;
    void operator()(float f) {
        ++values;
        Q::counters() = {};
        const Q a = Q::from_float(f);
        const fixed_counters ca = Q::counters();
        Q::counters() = {};
        const Q b = Q(double(f));
        const fixed_counters cb = Q::counters();
        fixed_counters cold;
        const typename Q::raw_type old = old_double_route<Q>(f, cold);
        const bool same = a.raw == b.raw && a.raw == old && ca.saturations == cb.saturations &&
                          ca.invalid == cb.invalid && ca.saturations == cold.saturations && ca.invalid == cold.invalid;
        if (!same && bad < 4)
            TL_INFO("    %s: bits %x -> %ld, double route %ld, old %ld\n", Q::name, unsigned(tl_test::bits_of(f)),
                    long(a.raw), long(b.raw), long(old));
        bad += !same;
    }
    void around(float centre, std::uint32_t ulps) {
        const std::uint32_t c = tl_test::bits_of(centre) & 0x7fffffffu;
        for (std::uint32_t d = c > ulps ? c - ulps : 0; d <= c + ulps; ++d) {
            (*this)(tl_test::from_bits<float>(d));
            (*this)(tl_test::from_bits<float>(d | 0x80000000u));
        }
    }
};

template <class Q>
long float_route_mismatches(long& values) {
    float_route_check<Q> ck;
    const float unit = float(Q::resolution);
    // A stride through every bit pattern (all exponents, both signs, NaN and infinities included).
    for (std::uint64_t b = 0; b < (1ull << 32); b += 65521u) ck(tl_test::from_bits<float>(std::uint32_t(b)));
    // Dense: every float within 2^10 ulps of k/2 units for k < 64, and of the range's edges
    // (raw_max + 1/2 and raw_min - 1/2 units, the saturation boundaries).
    for (int k = 0; k < 64; ++k) ck.around(float(k) * 0.5f * unit, 1024);
    ck.around(float(double(Q::raw_max) * Q::resolution), 1024);
    ck.around(float((double(Q::raw_max) + 0.5) * Q::resolution), 1024);
    ck.around(float((double(Q::raw_max) + 1.5) * Q::resolution), 1024);
    // Powers of two from the smallest subnormal to past the range, with neighbours.
    for (int e = -149; e < 40; ++e) {
        const std::uint32_t p = e >= -126 ? std::uint32_t(e + 127) << 23 : std::uint32_t(1) << (e + 149);
        ck.around(tl_test::from_bits<float>(p), 3);
    }
    for (std::uint32_t b : {0x00000001u, 0x007fffffu, 0x00800000u, 0x7f7fffffu, 0x7f800000u, 0x7fc00000u, 0x7f800001u,
                            0x7fffffffu}) {
        ck(tl_test::from_bits<float>(b));
        ck(tl_test::from_bits<float>(b | 0x80000000u));
    }
    values += ck.values;
    return ck.bad;
}

TL_TEST(fixed_from_float_matches_the_double_route) {
    long values = 0;
    TL_CHECK(float_route_mismatches<q3_12>(values) == 0);
    TL_CHECK(float_route_mismatches<q4_27>(values) == 0);
    TL_CHECK(float_route_mismatches<q15>(values) == 0);
    TL_CHECK(float_route_mismatches<q31>(values) == 0);
    TL_INFO("    %ld conversions compared\n", values);
}

TL_TEST(fixed_from_float_edges) {
    q4_27::counters() = {};
    TL_CHECK(q4_27::from_float(tl_test::quiet_nan<float>()).raw == 0 && q4_27::counters().invalid == 1);
    TL_CHECK(q4_27::from_float(tl_test::infinity<float>()).raw == q4_27::raw_max);
    TL_CHECK(q4_27::from_float(-tl_test::infinity<float>()).raw == q4_27::raw_min);
    TL_CHECK(q4_27::from_float(16.0f).raw == q4_27::raw_max && q4_27::counters().saturations == 3);
    TL_CHECK(q4_27::from_float(-16.0f).raw == q4_27::raw_min && q4_27::counters().saturations == 3);  // exact: no clamp
    q3_12::counters() = {};
    TL_CHECK(q3_12::from_float(0x1p-13f).raw == 1 && q3_12::from_float(-0x1p-13f).raw == -1);  // half a step: away
    TL_CHECK(q3_12::from_float(0x1.fffffep-14f).raw == 0);                                    // just below half
    TL_CHECK(q3_12::from_float(8.0f - 0x1p-13f).raw == q3_12::raw_max && q3_12::counters().saturations == 1);
    TL_CHECK(q3_12::from_float(-8.0f - 0x1p-13f).raw == q3_12::raw_min && q3_12::counters().saturations == 2);
    TL_CHECK(q3_12::from_float(-8.0f - 0x1p-14f).raw == q3_12::raw_min && q3_12::counters().saturations == 2);
    // The double route: NaN and infinities by bits too, and the largest double below a half
    // unit rounds to 0 (it rounded up before: 0.5 - 2^-54 + 0.5 rounds to 1).
    q4_27::counters() = {};
    TL_CHECK(q4_27(tl_test::quiet_nan<double>()).raw == 0 && q4_27::counters().invalid == 1);
    TL_CHECK(q4_27(-tl_test::infinity<double>()).raw == q4_27::raw_min && q4_27::counters().saturations == 1);
    TL_CHECK(q4_27(0.49999999999999994 * q4_27::resolution).raw == 0);
    // store_as goes through from_float for the float-arithmetic formats.
    TL_CHECK(store_as<q3_12>(0.1f).raw == q3_12::from_float(0.1f).raw);
}

// ---- the accumulator's dot length ----

TL_TEST(max_dot_length_is_exact) {
    static_assert(max_dot_length_v<q4_27> == 131071 && max_dot_length_v<q31> == 131071, "2^17 - 1");
    static_assert(max_dot_length_v<q3_12> == 8589934591ull && max_dot_length_v<q15> == 8589934591ull, "2^33 - 1");
    static_assert(max_dot_length_v<mixed<q4_27, double>> == 131071, "mixed: the storage's accumulator");
    static_assert(max_dot_length_v<float> == UINT64_MAX && max_dot_length_v<bf16> == UINT64_MAX, "no limit");
    static_assert(dot_length_fits<q4_27>(131071) && !dot_length_fits<q4_27>(131072), "the boundary");
    // The largest network that is allowed compiles (tests/compile_fail/dot_length_q4_27.cpp: N + 1).
    static_assert(sizeof(network<q4_27, 131071, 1>) >= 131071 * sizeof(q4_27), "it compiles");
    // Why: the largest product magnitude, -16 times -16 shifted, is 2^46; 131071 of them fit in
    // int64 and 131072 make 2^63 (computed unsigned here, where it cannot overflow).
    using tr = format_traits<q4_27>;
    const q4_27 m16 = q4_27::from_raw(q4_27::raw_min);
    const std::int64_t top = tr::to_accum_product(m16, m16);
    TL_CHECK(top == (std::int64_t(1) << 46));
    TL_CHECK(tr::to_accum_product(m16, q4_27::from_raw(q4_27::raw_max)) > -top);
    TL_CHECK(std::uint64_t(top) * 131071u <= std::uint64_t(INT64_MAX));
    TL_CHECK(std::uint64_t(top) * 131072u > std::uint64_t(INT64_MAX));
}

// ---- FP contraction ----

TL_TEST(fp_contract_is_off_in_the_project_build) {
    // The project's target passes -ffp-contract=off (after -ffast-math, which implies fast).
    TL_CHECK(fp_contract_off());
    // The detector detects: a unit compiled with -ffp-contract=fast, where the target can fuse.
    if (!probe_may_fuse()) TL_SKIP("no fused multiply-add on this target: contraction cannot happen here");
    TL_CHECK(!probe_fp_contract_off());
}

}  // namespace
