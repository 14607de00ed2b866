// The teacher stream (labels with output noise), dataset filling, and the Gaussian sampler's
// distribution (Kolmogorov-Smirnov against the normal CDF).
#include <cmath>

#include "test_util.hpp"
#include "twolayer/teacher/teacher_stream.hpp"

using namespace twolayer;

TL_TEST(teacher_labels_carry_noise_of_variance_sigma_squared) {
    constexpr index_t N = 16;
    teacher_stream<double, N, 2, act::erf> ts(3, 0, 0.5);
    double x[N];
    const int n = 20000;
    double s2 = 0;
    for (int i = 0; i < n; ++i) {
        const double y = ts.draw(vec_view<double, N>(x));
        const double d = y - ts.teacher().forward(x);
        s2 += d * d;
    }
    s2 /= n;
    TL_CHECK_NEAR(s2, 0.25, 5 * 0.25 * std::sqrt(2.0 / n));
}

TL_TEST(teacher_fills_a_dataset_with_its_labels) {
    constexpr index_t N = 8, M = 32;
    teacher_stream<float, N, 3, act::relu> ts(4);
    static dataset<float, M, N> d;
    ts.fill(d);
    for (index_t mu = 0; mu < M; ++mu) TL_CHECK(d.y[mu] == ts.teacher().forward(d.ref().sample(mu)));
    TL_CHECK(d.X(0, 0) != d.X(1, 0));
}

TL_TEST(gaussian_passes_kolmogorov_smirnov) {
    // D_n = sup |F_n - Phi| over 4000 sorted samples; P(sqrt(n) D_n > 1.95) ~ 0.001.
    constexpr int n = 4000;
    static double z[n];
    gaussian_rng g(77, 3);
    for (double& v : z) v = g.next();
    const double k = tl_test::ks_normal_statistic(z, n);
    TL_INFO("    sqrt(n) D_n = %.3f\n", k);
    TL_CHECK(k < 1.95);
}
