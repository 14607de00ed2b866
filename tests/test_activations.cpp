// Every activation's first and second derivative against central finite differences, and every
// loss's derivative likewise, in double and float.
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

TL_TEST(derivative_from_cached_value_is_bit_identical) {
    // The backward pass takes g' from the forward cache for tanh and sigmoid; it must be the very
    // value d1 gives (same operations on the same g), so training results do not change.
    TL_CHECK(has_d1_from_value<act::tanh>::value && has_d1_from_value<act::sigmoid>::value);
    TL_CHECK(!has_d1_from_value<act::erf>::value);
    gaussian_rng g(17);
    int bad = 0;
    for (int i = 0; i < 20000; ++i) {
        const double x = 4.0 * g.next();
        const float xf = float(x);
        bad += act::tanh::d1_from_value(act::tanh::value(x)) != act::tanh::d1(x);
        bad += act::tanh::d1_from_value(act::tanh::value(xf)) != act::tanh::d1(xf);
        bad += act::sigmoid::d1_from_value(act::sigmoid::value(x)) != act::sigmoid::d1(x);
        bad += act::sigmoid::d1_from_value(act::sigmoid::value(xf)) != act::sigmoid::d1(xf);
    }
    TL_CHECK(bad == 0);
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
