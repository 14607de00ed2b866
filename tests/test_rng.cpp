// The portable generator: Philox4x32-10 against published known answers, stream independence,
// the deterministic logarithm, and the Gaussian's first moments.
#include <cmath>

#include "test_util.hpp"

using namespace twolayer;

TL_TEST(philox_known_answers) {
    // Known-answer vectors of the Random123 distribution (philox4x32, 10 rounds).
    struct kat { std::uint32_t ctr[4], key[2], out[4]; };
    const kat kats[] = {
        {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
        {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu},
         {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
        {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u},
         {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
    };
    for (const kat& k : kats) {
        std::uint32_t out[4];
        philox4x32::block(k.ctr, k.key[0], k.key[1], out);
        for (int i = 0; i < 4; ++i) TL_CHECK(out[i] == k.out[i]);
    }
}

TL_TEST(streams_repeat_and_differ) {
    philox4x32 a(42, 0), b(42, 0), c(42, 1), d(43, 0);
    int same_c = 0, same_d = 0;
    for (int i = 0; i < 1000; ++i) {
        const std::uint32_t va = a.next_u32();
        TL_CHECK(va == b.next_u32());
        same_c += va == c.next_u32();
        same_d += va == d.next_u32();
    }
    TL_CHECK(same_c < 3 && same_d < 3);
}

TL_TEST(portable_log_matches_libm) {
    double worst = 0;
    for (double x = 1e-300; x < 1e300; x *= 1.37) {
        const double rel = std::fabs(detail::portable_log(x) - std::log(x)) / std::fabs(std::log(x) + (x == 1.0));
        if (rel > worst) worst = rel;
    }
    for (double x = 0.01; x < 1.0; x += 0.0137) {
        const double err = std::fabs(detail::portable_log(x) - std::log(x));
        if (err > worst) worst = err;
    }
    TL_INFO("    worst relative deviation from libm log: %.2e\n", worst);
    TL_CHECK(worst < 1e-15);
}

TL_TEST(gaussian_moments) {
    gaussian_rng g(1234, 7);
    const int n = 100000;
    double m1 = 0, m2 = 0, m4 = 0;
    for (int i = 0; i < n; ++i) {
        const double z = g.next();
        m1 += z; m2 += z * z; m4 += z * z * z * z;
    }
    m1 /= n; m2 /= n; m4 /= n;
    // Standard errors: mean 1/sqrt(n), variance sqrt(2/n), fourth moment sqrt(96/n); 5 sigma.
    TL_CHECK_NEAR(m1, 0.0, 5 * std::sqrt(1.0 / n));
    TL_CHECK_NEAR(m2, 1.0, 5 * std::sqrt(2.0 / n));
    TL_CHECK_NEAR(m4, 3.0, 5 * std::sqrt(96.0 / n));
}
