// Every activation's first and second derivative against central finite differences, and every
// loss's derivative likewise, in double and float.
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
