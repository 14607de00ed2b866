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

// Biases of a network: hidden biases (when hidden is set) and the output bias, both switched on.
template <class Net>
void set_biases(Net& n, gaussian_rng& g, bool hidden, double c) {
    if (hidden) {
        n.use_hidden_bias(true);
        tl_test::fill_gaussian(n.hidden_bias_mut(), g, 0.8);
    }
    n.use_output_bias(true);
    n.set_output_bias(c);
}

// biases: 0 none, 1 output biases only, 2 hidden and output biases.
template <class Act>
void check(std::uint64_t seed, int biases = 0) {
    constexpr index_t N = 20, P = 3, PT = 2;
    gaussian_rng g(seed);
    network<double, N, P, Act> s;
    network<double, N, PT, Act> t;
    init_network(s, g);
    init_network(t, g);
    for (auto& w : s.W_mut().flat()) w *= 0.8;  // unequal norms exercise the general formula
    tl_test::fill_gaussian(s.v_mut(), g, 0.7);
    tl_test::fill_gaussian(t.v_mut(), g, 0.7);
    if (biases > 0) {
        set_biases(s, g, biases > 1, 0.3);
        set_biases(t, g, biases > 1, -0.2);
    }
    const eps_g_result r = try_generalization_error(s, t);
    TL_CHECK(r.ok());
    const double closed = r.value;
    TL_CHECK(closed == generalization_error(s, t));
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
    TL_INFO("    %s, biases %d: closed form %.6f, Monte Carlo %.6f +- %.6f\n", Act::name, biases, closed, m1, se);
    TL_CHECK_NEAR(closed, m1, 5 * se);
    TL_CHECK(se < 0.05 * m1);  // the estimate must be sharp enough for the check to mean something
}

}  // namespace

TL_TEST(closed_form_erf) { check<act::erf>(1); }
TL_TEST(closed_form_relu) { check<act::relu>(2); }
TL_TEST(closed_form_quadratic) { check<act::quadratic>(3); }
TL_TEST(closed_form_linear) { check<act::linear>(4); }

// Output biases enter through E[g] for every activation; hidden biases (the fields' means) through
// the closed forms of linear and quadratic units. Before, both were silently ignored (the closed
// form of the networks without their biases: off by several standard errors).
TL_TEST(closed_form_with_output_biases) {
    check<act::erf>(11, 1);
    check<act::relu>(12, 1);
    check<act::quadratic>(13, 1);
    check<act::linear>(14, 1);
}
TL_TEST(closed_form_with_hidden_biases) {
    check<act::quadratic>(15, 2);
    check<act::linear>(16, 2);
}

// erf and ReLU units with nonzero hidden biases have no closed form here: a status, no number
// (generalization_error says -1, never NaN); hidden biases switched on but all zero are exact.
template <class Act>
void check_refusal() {
    gaussian_rng g(21);
    network<double, 8, 2, Act> s, t;
    init_network(s, g);
    init_network(t, g);
    const double plain = generalization_error(s, t);
    s.use_hidden_bias(true);  // on, all zero: the same field distribution
    TL_CHECK(try_generalization_error(s, t).ok());
    TL_CHECK(generalization_error(s, t) == plain);
    s.hidden_bias_mut()[1] = 0.5;
    TL_CHECK(try_generalization_error(s, t).status == eps_g_status::hidden_bias_unsupported);
    TL_CHECK(generalization_error(s, t) == -1.0);
    TL_CHECK(try_generalization_error(t, s).status == eps_g_status::hidden_bias_unsupported);
}
TL_TEST(no_closed_form_for_erf_and_relu_with_hidden_biases) {
    check_refusal<act::erf>();
    check_refusal<act::relu>();
}

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
