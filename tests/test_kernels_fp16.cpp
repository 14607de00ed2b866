// The native half-precision dot product (Armv8.2-A fp16 arithmetic) against an exact sum: each
// product of two f16 values is exact in double, so the reference has no rounding at all.
#include <cmath>

#include "test_util.hpp"
#if defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC) && defined(__ARM_NEON)
#include "twolayer/kernels/neon_fp16.hpp"
#endif

using namespace twolayer;

TL_TEST(dot_f16_native_matches_exact_sum) {
#if defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC) && defined(__ARM_NEON)
    constexpr index_t sizes[] = {1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 128, 129, 257, 1000};
    constexpr double f16_eps = 1.0 / 1024;  // spacing of f16 values near 1
    static f16 a[1000], b[1000];
    gaussian_rng g(44);
    int bad = 0;
    double worst_rel = 0;
    for (index_t n : sizes) {
        double exact = 0, abs_sum = 0;
        for (index_t i = 0; i < n; ++i) {
            a[i] = f16(g.next());
            b[i] = f16(g.next());
            exact += a[i].to_double() * b[i].to_double();
            abs_sum += std::fabs(a[i].to_double() * b[i].to_double());
        }
        const double got = kernels::dot_f16_native(a, b, n);
        // Few ulp times the fan-in, the bound every float kernel is held to, in f16's epsilon.
        bad += !(std::fabs(got - exact) <= 4 * f16_eps * double(n) * abs_sum);
        const double rel = std::fabs(got - exact) / abs_sum;
        if (rel > worst_rel) worst_rel = rel;  // not std::fmax: see test_kernels.cpp
    }
    TL_INFO("    largest |error| / sum|a_i b_i|: %.2e (f16 epsilon %.2e)\n", worst_rel, f16_eps);
    TL_CHECK(bad == 0);
#else
    TL_SKIP("no fp16 vector arithmetic on this target");
#endif
}
