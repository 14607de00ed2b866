// Gradients of the loss with respect to every parameter (W, v, hidden biases, output bias) for
// every activation and every loss, against central finite differences, in double and float.
#include "test_util.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 7, P = 5;

template <class T, class Act>
void randomize(network<T, N, P, Act>& net, gaussian_rng& g) {
    init_network(net, g, second_layer_init::inv_sqrt_p);
    tl_test::fill_gaussian(net.v_mut(), g);
    tl_test::fill_gaussian(net.hidden_bias_mut(), g, 0.3);
    net.set_output_bias(T(0.2));
    net.use_hidden_bias(true);
    net.use_output_bias(true);
}

// Perturbs one parameter by +-h and returns the central difference of the loss.
template <class T, class Act, class Loss>
double fd(network<T, N, P, Act>& net, T& param, vec_view<const T, N> x, T y, const Loss& loss) {
    const T h = T(tl_test::tolerance<T>::fd_step);
    const T saved = param;
    param = T(saved + h);
    const double up = double(loss.value(net.forward(x), y));
    param = T(saved - h);
    const double down = double(loss.value(net.forward(x), y));
    param = saved;
    return (up - down) / (2.0 * double(h));
}

template <class T, class Act, class Loss>
void check_network(const Loss& loss, std::uint64_t seed) {
    gaussian_rng g(seed);
    network<T, N, P, Act> net;
    T x[N];
    T y = T(1);
    // Draw until no pre-activation sits within the FD step of a kink (relu, |x|).
    for (int attempt = 0;; ++attempt) {
        randomize(net, g);
        for (auto& xi : x) xi = g.gaussian<T>();
        net.forward(x);
        bool clear = true;
        for (index_t k = 0; k < P; ++k) clear = clear && math::abs(net.lambda()[k]) > T(0.2);
        if (clear || attempt > 100) break;
    }
    const vec_view<const T, N> xv(x);
    gradients<T, N, P> grads;
    grads.zero();
    const T yhat = net.forward(x);
    accumulate_gradients(net, x, loss.deriv(yhat, y), grads);

    const double rel = tl_test::tolerance<T>::fd_rel;
    auto W = net.W_mut();
    for (index_t k = 0; k < P; ++k)
        for (index_t j = 0; j < N; ++j) {
            const double e = double(grads.dW(k, j));
            TL_CHECK_NEAR(fd(net, W(k, j), xv, y, loss), e, rel * (1 + math::abs(e)));
        }
    auto v = net.v_mut();
    auto b = net.hidden_bias_mut();
    for (index_t k = 0; k < P; ++k) {
        TL_CHECK_NEAR(fd(net, v[k], xv, y, loss), double(grads.dv[k]), rel * (1 + math::abs(double(grads.dv[k]))));
        TL_CHECK_NEAR(fd(net, b[k], xv, y, loss), double(grads.db[k]), rel * (1 + math::abs(double(grads.db[k]))));
    }
    T c = net.output_bias();
    const T h = T(tl_test::tolerance<T>::fd_step);
    net.set_output_bias(T(c + h));
    const double up = double(loss.value(net.forward(xv), y));
    net.set_output_bias(T(c - h));
    const double down = double(loss.value(net.forward(xv), y));
    net.set_output_bias(c);
    TL_CHECK_NEAR((up - down) / (2.0 * double(h)), double(grads.dc), rel * (1 + math::abs(double(grads.dc))));
}

template <class T, class Loss>
void check_every_activation(const Loss& loss) {
    check_network<T, act::erf>(loss, 1);
    check_network<T, act::relu>(loss, 2);
    check_network<T, act::quadratic>(loss, 3);
    check_network<T, act::tanh>(loss, 4);
    check_network<T, act::sigmoid>(loss, 5);
    check_network<T, act::linear>(loss, 6);
    check_network<T, act::abs>(loss, 7);
}

template <class T>
void check_every_loss() {
    check_every_activation<T>(squared_loss{});
    weighted_squared_loss<T> w;
    w.weight_positive = T(2.5);
    w.weight_negative = T(0.5);
    check_every_activation<T>(w);
    check_every_activation<T>(logistic_loss{});
}

}  // namespace

TL_TEST(network_gradients_double) { check_every_loss<double>(); }
TL_TEST(network_gradients_float) { check_every_loss<float>(); }

// The batch gradient is the sum of per-sample gradients: accumulating twice doubles it.
TL_TEST(gradients_accumulate) {
    gaussian_rng g(11);
    network<double, N, P, act::tanh> net;
    init_network(net, g);
    tl_test::sample<double, N> s;
    const auto& x = s.draw(g);
    gradients<double, N, P> once, twice;
    once.zero();
    twice.zero();
    net.forward(x);
    accumulate_gradients(net, x, 0.7, once);
    accumulate_gradients(net, x, 0.7, twice);
    accumulate_gradients(net, x, 0.7, twice);
    for (index_t i = 0; i < N * P; ++i) TL_CHECK_NEAR(2 * once.dW.data[i], twice.dW.data[i], 1e-15);
}
