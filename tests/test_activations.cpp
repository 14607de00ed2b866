// Every activation's first and second derivative against central finite differences, and every
// loss's derivative likewise, in double and float.
#include <cmath>
#include <cstdint>
#include <limits>

#include "test_util.hpp"

using namespace twolayer;

namespace {

template <class T, class Act>
void check_activation() {
    const T h = T(tl_test::tolerance<T>::fd_step);
    const double rel = tl_test::tolerance<T>::fd_rel;
    for (int i = -30; i <= 30; ++i) {
        const T x = T(0.1) * T(i) + T(0.0371);  // never exactly at the kinks of relu and |x|
        if (math::abs(x) < 2 * h) continue;
        const double fd1 = (double(Act::value(T(x + h))) - double(Act::value(T(x - h)))) / (2.0 * double(h));
        const double fd2 = (double(Act::d1(T(x + h))) - double(Act::d1(T(x - h)))) / (2.0 * double(h));
        const double e1 = double(Act::d1(x)), e2 = double(Act::d2(x));
        TL_CHECK_NEAR(fd1, e1, rel * (1.0 + math::abs(e1)));
        TL_CHECK_NEAR(fd2, e2, rel * (1.0 + math::abs(e2)));
    }
}

template <class T>
void check_all_activations() {
    check_activation<T, act::erf>();
    check_activation<T, act::relu>();
    check_activation<T, act::quadratic>();
    check_activation<T, act::tanh>();
    check_activation<T, act::sigmoid>();
    check_activation<T, act::linear>();
    check_activation<T, act::abs>();
}

template <class T, class Loss>
void check_loss(const Loss& loss) {
    const T h = T(tl_test::tolerance<T>::fd_step);
    const double rel = tl_test::tolerance<T>::fd_rel;
    const T labels[] = {T(-1), T(1), T(0.3)};
    for (T y : labels) {
        for (int i = -20; i <= 20; ++i) {
            const T yhat = T(0.17) * T(i) + T(0.013);
            const double fd = (double(loss.value(T(yhat + h), y)) - double(loss.value(T(yhat - h), y))) / (2.0 * double(h));
            const double d = double(loss.deriv(yhat, y));
            TL_CHECK_NEAR(fd, d, rel * (1.0 + math::abs(d)));
        }
    }
}

template <class T>
void check_all_losses() {
    check_loss<T>(squared_loss{});
    weighted_squared_loss<T> w;
    w.weight_positive = T(3);
    w.weight_negative = T(0.25);
    check_loss<T>(w);
    check_loss<T>(logistic_loss{});
}

}  // namespace

TL_TEST(activation_derivatives_double) { check_all_activations<double>(); }
TL_TEST(activation_derivatives_float) { check_all_activations<float>(); }
TL_TEST(loss_derivatives_double) { check_all_losses<double>(); }
TL_TEST(loss_derivatives_float) { check_all_losses<float>(); }

TL_TEST(activation_values) {
    TL_CHECK_NEAR(act::erf::value(1.0), 0.6826894921370859, 1e-15);  // P(|z| < 1)
    TL_CHECK(act::relu::value(-2.0) == 0.0 && act::relu::value(2.0) == 2.0);
    TL_CHECK(act::abs::value(-2.0) == 2.0);
    TL_CHECK_NEAR(act::sigmoid::value(-800.0), 0.0, 1e-300);  // no overflow far out
    TL_CHECK_NEAR(act::sigmoid::value(800.0), 1.0, 0.0);
    TL_CHECK_NEAR(logistic_loss{}.value(-800.0, 1.0), 800.0, 1e-9);
    TL_CHECK(activation_name(activation_id::quadratic)[0] == 'q');
}

TL_TEST(weighted_loss_weights_by_class) {
    weighted_squared_loss<double> w;
    w.weight_positive = 4;
    w.weight_negative = 0.5;
    TL_CHECK(w.deriv(0.0, 1.0) == -4.0);
    TL_CHECK(w.deriv(0.0, -1.0) == 0.5);
}

TL_TEST(derivative_from_cache_is_bit_identical) {
    // The backward pass takes g' from the forward cache (d1_cached) for tanh and sigmoid; it must
    // be the very value d1 gives, in and out of saturation, so training results do not depend on
    // which one a caller uses.
    TL_CHECK(has_d1_from_cache<act::tanh>::value && has_d1_from_cache<act::sigmoid>::value);
    TL_CHECK(!has_d1_from_cache<act::erf>::value);
    gaussian_rng g(17);
    int bad = 0;
    for (int i = 0; i < 20000; ++i) {
        const double x = (i % 2 ? 4.0 : 30.0) * g.next();
        const float xf = float(x);
        bad += d1_cached<act::tanh>(x, act::tanh::value(x)) != act::tanh::d1(x);
        bad += d1_cached<act::tanh>(xf, act::tanh::value(xf)) != act::tanh::d1(xf);
        bad += d1_cached<act::sigmoid>(x, act::sigmoid::value(x)) != act::sigmoid::d1(x);
        bad += d1_cached<act::sigmoid>(xf, act::sigmoid::value(xf)) != act::sigmoid::d1(xf);
        bad += d1_cached<act::erf>(x, act::erf::value(x)) != act::erf::d1(x);
    }
    TL_CHECK(bad == 0);
}

TL_TEST(derivative_unchanged_where_unsaturated) {
    // Below the switch the derivatives are the cheap forms of before, bit for bit (training runs
    // in the unsaturated range keep their bits).
    int bad = 0;
    for (int i = -2990; i <= 2990; ++i) {  // |x| < 3, |2x| < 6 (the float switches)
        const float x = 0.001f * float(i);
        const float t = act::tanh::value(x), s = act::sigmoid::value(2.0f * x);
        bad += act::tanh::d1(x) != 1.0f - t * t;
        bad += act::sigmoid::d1(2.0f * x) != s * (1.0f - s);
        const double xd = 0.00133 * double(i);
        const double td = act::tanh::value(xd), sd = act::sigmoid::value(2.0 * xd);
        bad += act::tanh::d1(xd) != 1.0 - td * td;
        bad += act::sigmoid::d1(2.0 * xd) != sd * (1.0 - sd);
    }
    TL_CHECK(bad == 0);
}

namespace {

// The true derivatives in long double (tanh' = 4 e^2 / (1 + e^2)^2 and sigmoid' = e / (1 + e)^2,
// e = e^-|x|: no cancellation anywhere).
long double tanh_d1_ref(long double x) {
    const long double e = std::exp(-std::fabs(x));
    const long double q = 1.0L + e * e;
    return 4.0L * e * e / (q * q);
}
long double sigmoid_d1_ref(long double x) {
    const long double e = std::exp(-std::fabs(x));
    return e / ((1.0L + e) * (1.0L + e));
}

// Whether subnormal results of T are flushed to zero on this target.
template <class T> bool flushes_subnormals() {
    volatile T m = std::numeric_limits<T>::min();
    return T(m / T(4)) == T(0);
}

// g' of Act in T against the long-double truth for |x| <= x_max: relative error at most rel
// everywhere (plus one smallest subnormal where the result is subnormal), at most sat_rel beyond
// switch_x (where the exp form computes it), and 0 only where the truth is below the smallest
// subnormal (the smallest normal where subnormals are flushed).
template <class Act, class T>
void check_d1_relative(long double (*ref)(long double), T x_max, T switch_x, double rel, double sat_rel, int points) {
    const long double tiny = flushes_subnormals<T>() ? std::numeric_limits<T>::min() : std::numeric_limits<T>::denorm_min();
    double worst = 0, worst_sat = 0;
    T worst_x = 0;
    long bad = 0, bad_zero = 0;
    for (int i = -points; i <= points; ++i) {
        const T x = x_max * T(i) / T(points) + T(i % 7) * T(1e-3);  // off the grid's round numbers
        const T got = Act::d1(x);
        const long double want = ref(static_cast<long double>(x));
        if (got == T(0)) {
            bad_zero += want >= tiny;
            continue;
        }
        const long double err = std::fabs(static_cast<long double>(got) - want);
        const double r = double(err / want);
        const bool sat = std::fabs(double(x)) > double(switch_x);
        if (err > static_cast<long double>(sat ? sat_rel : rel) * want + tiny) ++bad;
        if (want >= static_cast<long double>(std::numeric_limits<T>::min())) {
            if (r > worst) { worst = r; worst_x = x; }
            if (sat && r > worst_sat) worst_sat = r;
        }
    }
    TL_INFO("    %s d1 in %s, |x| <= %g: max relative error %.3g (at x = %g), %.3g in saturation; %ld over, %ld wrong zeros\n",
            Act::name, sizeof(T) == 4 ? "float" : "double", double(x_max), worst, double(worst_x), worst_sat, bad, bad_zero);
    TL_CHECK(bad == 0);
    TL_CHECK(bad_zero == 0);
}

#if defined(__x86_64__) || defined(__aarch64__) && defined(__linux__)
constexpr int D1_POINTS = 200000;
#else
constexpr int D1_POINTS = 10000;  // the reference is software double on the Cortex-M
#endif

}  // namespace

// g' keeps its relative accuracy in saturation: float against double (long double on the host),
// over |x| <= 110, far past where g' underflows (tanh' below the smallest float subnormal beyond
// 52.3, sigmoid' beyond 103.3). The cheap forms of before failed here (tanh' 0 beyond 8, sigmoid'
// 17% off at 15 and 0 beyond 16.6). 1e-4 bounds the cheap form below the switch (measured 5e-5);
// 1e-6 (8 ulp) the exp form beyond it.
TL_TEST(derivative_relative_accuracy_float) {
    check_d1_relative<act::tanh, float>(tanh_d1_ref, 110.0f, 3.0f, 1e-4, 1e-6, D1_POINTS);
    check_d1_relative<act::sigmoid, float>(sigmoid_d1_ref, 110.0f, 6.0f, 1e-4, 1e-6, D1_POINTS);
}

// The same in double over |x| <= 800 against long double (where long double is wider than double:
// elsewhere the reference would be the code under test). 1e-12 below the switch (measured 5e-13),
// 2e-15 (9 ulp) beyond.
TL_TEST(derivative_relative_accuracy_double) {
    if (std::numeric_limits<long double>::digits <= std::numeric_limits<double>::digits) {
        TL_INFO("    skipped: long double is double on this target\n");
        return;
    }
    check_d1_relative<act::tanh, double>(tanh_d1_ref, 800.0, 4.0, 1e-12, 2e-15, D1_POINTS);
    check_d1_relative<act::sigmoid, double>(sigmoid_d1_ref, 800.0, 8.0, 1e-12, 2e-15, D1_POINTS);
}

namespace {

// Distance in units in the last place between two finite floats (ordered bit patterns).
long long ulp_distance(float a, float b) {
    auto ordered = [](float f) {
        std::int32_t i;
        std::memcpy(&i, &f, sizeof i);
        return i < 0 ? -static_cast<long long>(i & 0x7fffffff) : static_cast<long long>(i);
    };
    const long long d = ordered(a) - ordered(b);
    return d < 0 ? -d : d;
}

}  // namespace

// The library's float tanh (core/tanh_float.hpp) against double tanh rounded to float, on bit
// patterns spread over every non-negative float (a stride through them; the reference tanh is
// software double on the Cortex-M, so the stride is wider there). 6 ulp is the maximum of an
// exhaustive run over all 2^31 patterns on the host: a change that loses accuracy fails here.
TL_TEST(tanh_float_accuracy) {
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
    constexpr std::uint32_t stride = 65521;
#else
    constexpr std::uint32_t stride = 997;
#endif
    long long worst = 0;
    float worst_x = 0.0f;
    long bad_range = 0, bad_sign = 0;
    double sum = 0;
    long n = 0;
    for (std::uint32_t bits = 0; bits < 0x7f800000u; bits += stride) {
        float x;
        std::memcpy(&x, &bits, sizeof x);
        const float r = math::tanh(x);
        const long long d = ulp_distance(r, static_cast<float>(std::tanh(static_cast<double>(x))));
        sum += double(d);
        ++n;
        if (d > worst) { worst = d; worst_x = x; }
        bad_range += r > 1.0f;
        bad_sign += math::tanh(-x) != -r;
    }
    TL_INFO("    tanh float: %ld samples, max %lld ulp at x = %.9g, mean %.3f ulp\n", n, worst, double(worst_x), sum / double(n));
    TL_CHECK(worst <= 6);
    TL_CHECK(bad_range == 0);
    TL_CHECK(bad_sign == 0);
    // Densely in (3.5, 4.5), where the exhaustive run found its largest error, and around 8, where
    // the rational form hands over to +-1.
    long long worst_dense = 0;
    for (float x = 3.5f; x < 4.5f; x += 3e-5f) {
        const long long d = ulp_distance(math::tanh(x), static_cast<float>(std::tanh(double(x))));
        if (d > worst_dense) worst_dense = d;
    }
    for (float x = 7.5f; x < 9.2f; x += 1e-4f) {
        const long long d = ulp_distance(math::tanh(x), static_cast<float>(std::tanh(double(x))));
        if (d > worst_dense) worst_dense = d;
    }
    TL_INFO("    tanh float: dense (3.5, 4.5) and (7.5, 9.2): max %lld ulp\n", worst_dense);
    TL_CHECK(worst_dense <= 6);
    for (float x = 8.001f; x < 10.0f; x += 1e-3f) TL_CHECK(math::tanh(x) == 1.0f && math::tanh(-x) == -1.0f);
}

TL_TEST(tanh_float_special_values) {
    // tanh(x) rounds to x for |x| < 2^-12; the rational form gives x exactly there.
    const float tiny[] = {1e-30f, 1.0e-38f, 1.4e-45f, 0x1p-13f, -0x1p-13f};
    for (float x : tiny) TL_CHECK(math::tanh(x) == x);
    TL_CHECK(math::tanh(0.0f) == 0.0f && !std::signbit(math::tanh(0.0f)));
    TL_CHECK(math::tanh(-0.0f) == 0.0f && std::signbit(math::tanh(-0.0f)));
    TL_CHECK(math::tanh(std::numeric_limits<float>::infinity()) == 1.0f);
    TL_CHECK(math::tanh(-std::numeric_limits<float>::infinity()) == -1.0f);
    TL_CHECK(math::tanh(1e30f) == 1.0f && math::tanh(-1e30f) == -1.0f);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    TL_CHECK(math::tanh(nan) != math::tanh(nan));
    // double stays on std::tanh, the reference.
    TL_CHECK(math::tanh(0.5) == std::tanh(0.5));
}

// The backward pass of a network in saturation: delta = v g'(lambda) keeps its relative accuracy
// (before, float tanh units with lambda beyond 8 and sigmoid units beyond 16.6 got delta = 0).
template <class Act>
void check_saturated_backward(long double (*ref)(long double)) {
    network<float, 2, 3, Act> net;
    auto W = net.W_mut();
    const float w[3] = {12.0f, 25.0f, 40.0f};  // lambda = w (x0 = sqrt 2, x1 = 0, scale 1/sqrt 2)
    for (index_t k = 0; k < 3; ++k) {
        W(k, 0) = w[k];
        W(k, 1) = 0.0f;
    }
    const float x[2] = {1.41421356f, 0.0f};
    net.forward(x);
    backward_signal(net);
    for (index_t k = 0; k < 3; ++k) {
        const long double want = ref(static_cast<long double>(net.lambda()[k]));
        const long double got = net.ref().delta[k];  // v = 1
        TL_CHECK(std::fabs(got - want) <= 1e-6L * want);
    }
}

TL_TEST(backward_signal_in_saturation) {
    check_saturated_backward<act::tanh>(tanh_d1_ref);
    check_saturated_backward<act::sigmoid>(sigmoid_d1_ref);
}
