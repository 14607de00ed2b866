// The library against the independent xtensor reference (src/reference): forward, loss,
// gradients, 100 online SGD steps and 20 full-batch GD steps with weight decay, for every
// activation and loss. double: relative 1e-12; float: the tolerance of tests/test_util.hpp.
// Host only (xtensor does not run on the boards).
#include <cmath>

#include "reference.hpp"
#include "test_util.hpp"

using namespace twolayer;
namespace ref = twolayer_ref;

namespace {

constexpr index_t N = 12, P = 5, M = 16;

template <class Act>
ref::activation ref_act() {
    switch (Act::id) {
        case activation_id::erf: return ref::activation::erf;
        case activation_id::relu: return ref::activation::relu;
        case activation_id::quadratic: return ref::activation::quadratic;
        case activation_id::tanh: return ref::activation::tanh;
        case activation_id::sigmoid: return ref::activation::sigmoid;
        case activation_id::linear: return ref::activation::linear;
        case activation_id::abs: break;
    }
    return ref::activation::abs;
}

template <class T, class Act>
ref::net as_reference_net(const network<T, N, P, Act>& n) {
    ref::net r;
    r.W = xt::zeros<double>({P, N});
    r.v = xt::zeros<double>({P});
    r.b = xt::zeros<double>({P});
    for (index_t k = 0; k < P; ++k) {
        for (index_t j = 0; j < N; ++j) r.W(k, j) = double(n.W()(k, j));
        r.v(k) = double(n.v()[k]);
        r.b(k) = double(n.hidden_bias()[k]);
    }
    r.c = double(n.output_bias());
    r.hidden_bias = n.uses_hidden_bias();
    r.output_bias = n.uses_output_bias();
    r.act = ref_act<Act>();
    return r;
}

// Largest deviation of the library's parameters from the reference's, relative to max(1, |ref|).
template <class T, class Act>
double deviation(const network<T, N, P, Act>& n, const ref::net& r) {
    double worst = 0;
    auto upd = [&](double a, double b) { worst = std::fmax(worst, std::fabs(a - b) / std::fmax(1.0, std::fabs(b))); };
    for (index_t k = 0; k < P; ++k) {
        for (index_t j = 0; j < N; ++j) upd(double(n.W()(k, j)), r.W(k, j));
        upd(double(n.v()[k]), r.v(k));
        upd(double(n.hidden_bias()[k]), r.b(k));
    }
    upd(double(n.output_bias()), r.c);
    return worst;
}

struct loss_case {
    ref::loss_spec spec;
    bool classification;
};

template <class T, class Act, class Loss>
double run_online(const Loss& loss, const loss_case& lc, std::uint64_t seed) {
    gaussian_rng g(seed);
    network<T, N, P, Act> net;
    init_network(net, g, second_layer_init::inv_sqrt_p);
    tl_test::fill_gaussian(net.hidden_bias_mut(), g, 0.3);
    net.set_output_bias(T(0.1));
    net.use_hidden_bias(true);
    net.use_output_bias(true);
    ref::net r = as_reference_net(net);
    // x^2 units grow fast: a smaller rate keeps them from diverging (the guard would refuse).
    const double k = Act::id == activation_id::quadratic ? 0.1 : 1.0;
    train_config<T> c;
    c.lr_w = T(0.3 * k); c.lr_v = T(0.4 * k); c.lr_b = T(0.2 * k);
    c.weight_decay_w = T(0.01); c.weight_decay_v = T(0.02);
    const ref::rates rr{double(c.lr_w), double(c.lr_v), double(c.lr_b), double(c.weight_decay_w),
                        double(c.weight_decay_v), true};
    online_sgd<T, Loss> sgd(c, loss);
    T x[N];
    xt::xtensor<double, 1> xr = xt::zeros<double>({N});
    for (int step = 0; step < 100; ++step) {
        for (index_t j = 0; j < N; ++j) { x[j] = g.gaussian<T>(); xr(j) = double(x[j]); }
        const double yd = lc.classification ? (g.next() > 0 ? 1.0 : -1.0) : g.next();
        const T y = T(yd);
        if (step == 0) {  // forward, loss and gradients agree before any update
            network<T, N, P, Act> copy = net;
            const T yhat = copy.forward(x);
            const double yr = ref::forward(r, xr);
            TL_CHECK_NEAR(double(yhat), yr, 1e-12 * std::fmax(1.0, std::fabs(yr)) + (sizeof(T) == 4 ? 1e-5 : 0));
            TL_CHECK_NEAR(double(loss.value(yhat, y)), ref::loss_value(lc.spec, yr, yd),
                          1e-12 + (sizeof(T) == 4 ? 1e-5 : 0));
        }
        const step_result<T> res = sgd.step(net, x, y);
        if (!res) {
            TL_INFO("    %s, %s loss: online step %d refused: %s\n", Act::name, Loss::name, step, to_string(res.status));
            return 1e300;
        }
        ref::online_step(r, lc.spec, rr, xr, yd);
    }
    return deviation(net, r);
}

template <class T, class Act>
double run_gd(std::uint64_t seed) {
    gaussian_rng g(seed);
    network<T, N, P, Act> net;
    init_network(net, g, second_layer_init::inv_sqrt_p);
    static dataset<T, M, N> d;
    tl_test::fill_gaussian(d, g, /*labels=*/true);
    ref::net r = as_reference_net(net);
    xt::xtensor<double, 2> X = xt::zeros<double>({M, N});
    xt::xtensor<double, 1> y = xt::zeros<double>({M});
    for (index_t mu = 0; mu < M; ++mu) {
        for (index_t j = 0; j < N; ++j) X(mu, j) = double(d.X(mu, j));
        y(mu) = double(d.y[mu]);
    }
    train_config<T> c;
    c.scaling = lr_scaling::plain;
    c.lr_w = T(0.2); c.lr_v = T(0.2);
    c.weight_decay_w = T(0.05); c.weight_decay_v = T(0.05);
    const ref::rates rr{double(c.lr_w), double(c.lr_v), 1.0, double(c.weight_decay_w), double(c.weight_decay_v), false};
    gd_trainer<T, N, P> gd(c);
    for (int step = 0; step < 20; ++step) {
        const step_result<T> res = gd.full_batch(net, d);
        if (!res) {
            TL_INFO("    %s: GD step %d refused: %s\n", Act::name, step, to_string(res.status));
            return 1e300;
        }
        ref::full_batch_step(r, ref::loss_spec{}, rr, X, y);
    }
    return deviation(net, r);
}

template <class T>
double tolerance_vs_reference() {
    return tl_test::tolerance<T>::reference_rel;
}

template <class T, class Act>
void every_loss(double& worst) {
    loss_case sq{{ref::loss::squared, 1, 1}, false};
    loss_case wsq{{ref::loss::weighted_squared, 2.5, 0.5}, true};
    loss_case lg{{ref::loss::logistic, 1, 1}, true};
    weighted_squared_loss<T> w;
    w.weight_positive = T(2.5);
    w.weight_negative = T(0.5);
    worst = std::fmax(worst, run_online<T, Act>(squared_loss{}, sq, 1));
    worst = std::fmax(worst, run_online<T, Act>(w, wsq, 2));
    worst = std::fmax(worst, run_online<T, Act>(logistic_loss{}, lg, 3));
    worst = std::fmax(worst, run_gd<T, Act>(4));
}

template <class T>
void every_activation() {
    double worst = 0;
    every_loss<T, act::erf>(worst);
    every_loss<T, act::relu>(worst);
    every_loss<T, act::quadratic>(worst);
    every_loss<T, act::tanh>(worst);
    every_loss<T, act::sigmoid>(worst);
    every_loss<T, act::linear>(worst);
    every_loss<T, act::abs>(worst);
    TL_INFO("    %s: largest relative deviation from the reference after training: %.2e (tolerance %.1e)\n",
            format_traits<T>::name, worst, tolerance_vs_reference<T>());
    TL_CHECK(worst <= tolerance_vs_reference<T>());
}

}  // namespace

TL_TEST(double_matches_reference) { every_activation<double>(); }
TL_TEST(float_matches_reference) { every_activation<float>(); }
