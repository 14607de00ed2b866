// The closed-form generalization error (erf, ReLU, quadratic, linear) against a Monte-Carlo
// estimate on fresh Gaussian inputs, within 5 standard errors of the estimate. On the host 10^6
// samples; on emulated boards fewer (the closed form is the same code, the estimate just noisier).
#include <cmath>

#include "test_util.hpp"
#include "twolayer/teacher/generalization_error.hpp"

using namespace twolayer;

namespace {

#if defined(__x86_64__)
constexpr int SAMPLES = 1000000;
#else
constexpr int SAMPLES = 20000;  // bare-metal and qemu-user runs: time, not accuracy, limits this
#endif

template <class Act>
void check(std::uint64_t seed) {
    constexpr index_t N = 20, P = 3, PT = 2;
    gaussian_rng g(seed);
    network<double, N, P, Act> s;
    network<double, N, PT, Act> t;
    init_network(s, g);
    init_network(t, g);
    for (auto& w : s.W_mut().flat()) w *= 0.8;  // unequal norms exercise the general formula
    tl_test::fill_gaussian(s.v_mut(), g, 0.7);
    tl_test::fill_gaussian(t.v_mut(), g, 0.7);
    const double closed = generalization_error(s, t);
    double m1 = 0, m2 = 0;
    tl_test::sample<double, N> xs;
    for (int i = 0; i < SAMPLES; ++i) {
        const auto& x = xs.draw(g);
        const double d = s.forward(x) - t.forward(x);
        const double l = 0.5 * d * d;
        m1 += l;
        m2 += l * l;
    }
    m1 /= SAMPLES;
    const double se = std::sqrt((m2 / SAMPLES - m1 * m1) / SAMPLES);
    TL_INFO("    %s: closed form %.6f, Monte Carlo %.6f +- %.6f\n", Act::name, closed, m1, se);
    TL_CHECK_NEAR(closed, m1, 5 * se);
    TL_CHECK(se < 0.05 * m1);  // the estimate must be sharp enough for the check to mean something
}

}  // namespace

TL_TEST(closed_form_erf) { check<act::erf>(1); }
TL_TEST(closed_form_relu) { check<act::relu>(2); }
TL_TEST(closed_form_quadratic) { check<act::quadratic>(3); }
TL_TEST(closed_form_linear) { check<act::linear>(4); }

TL_TEST(order_parameters_of_identical_networks) {
    gaussian_rng g(5);
    network<double, 16, 2, act::erf> a;
    init_network(a, g);
    TL_CHECK(generalization_error(a, a) < 1e-14);
    order_parameters<2, 2> op;
    compute_order_parameters(a, a.ref(), op);
    for (index_t i = 0; i < 2; ++i)
        for (index_t k = 0; k < 2; ++k) TL_CHECK(op.Q(i, k) == op.R(i, k) && op.R(i, k) == op.T(i, k));
}
