#include "reference.hpp"

#include <cmath>
#include <random>
#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

namespace twolayer_ref {

namespace {
const double pi = 3.14159265358979323846;

xt::xtensor<double, 1> preactivations(const net& n, const xt::xtensor<double, 1>& x) {
    const double N = double(x.size());
    xt::xtensor<double, 1> lambda = xt::sum(n.W * xt::view(x, xt::newaxis(), xt::all()), {1}) / std::sqrt(N);
    if (n.hidden_bias) lambda += n.b;
    return lambda;
}

void apply(net& n, const grads& gr, const rates& r, double N) {
    const double s = r.teacher_student_scaling ? 1.0 / N : 1.0;
    n.W = n.W - r.lr_w * (gr.dW + r.wd_w * n.W);
    n.v = n.v - r.lr_v * s * (gr.dv + r.wd_v * n.v);
    if (n.hidden_bias) n.b = n.b - r.lr_b * s * gr.db;
    if (n.output_bias) n.c = n.c - r.lr_b * s * gr.dc;
}
}  // namespace

double g(activation a, double z) {
    switch (a) {
        case activation::erf: return std::erf(z / std::sqrt(2.0));
        case activation::relu: return z > 0 ? z : 0;
        case activation::quadratic: return z * z;
        case activation::tanh: return std::tanh(z);
        case activation::sigmoid: return 1 / (1 + std::exp(-z));
        case activation::linear: return z;
        case activation::abs: return std::fabs(z);
    }
    return 0;
}

double g_prime(activation a, double z) {
    switch (a) {
        case activation::erf: return std::sqrt(2 / pi) * std::exp(-z * z / 2);
        case activation::relu: return z > 0 ? 1 : 0;
        case activation::quadratic: return 2 * z;
        case activation::tanh: return 1 / (std::cosh(z) * std::cosh(z));
        case activation::sigmoid: return std::exp(-z) / ((1 + std::exp(-z)) * (1 + std::exp(-z)));
        case activation::linear: return 1;
        case activation::abs: return z > 0 ? 1 : (z < 0 ? -1 : 0);
    }
    return 0;
}

double forward(const net& n, const xt::xtensor<double, 1>& x) {
    const xt::xtensor<double, 1> lambda = preactivations(n, x);
    double y = n.output_bias ? n.c : 0;
    for (std::size_t k = 0; k < lambda.size(); ++k) y += n.v(k) * g(n.act, lambda(k));
    return y;
}

double loss_value(const loss_spec& l, double yhat, double y) {
    switch (l.kind) {
        case loss::squared: return 0.5 * (yhat - y) * (yhat - y);
        case loss::weighted_squared: return (y > 0 ? l.weight_positive : l.weight_negative) * 0.5 * (yhat - y) * (yhat - y);
        case loss::logistic: return std::log(1 + std::exp(-y * yhat));
    }
    return 0;
}

double loss_deriv(const loss_spec& l, double yhat, double y) {
    switch (l.kind) {
        case loss::squared: return yhat - y;
        case loss::weighted_squared: return (y > 0 ? l.weight_positive : l.weight_negative) * (yhat - y);
        case loss::logistic: return -y / (1 + std::exp(y * yhat));
    }
    return 0;
}

grads gradients(const net& n, const loss_spec& l, const xt::xtensor<double, 1>& x, double y) {
    const std::size_t P = n.W.shape(0), N = n.W.shape(1);
    const xt::xtensor<double, 1> lambda = preactivations(n, x);
    const double dl = loss_deriv(l, forward(n, x), y);
    grads gr;
    gr.dW = xt::zeros<double>({P, N});
    gr.dv = xt::zeros<double>({P});
    gr.db = xt::zeros<double>({P});
    for (std::size_t k = 0; k < P; ++k) {
        const double dk = dl * n.v(k) * g_prime(n.act, lambda(k));
        xt::view(gr.dW, k, xt::all()) = dk * x / std::sqrt(double(N));
        gr.dv(k) = dl * g(n.act, lambda(k));
        gr.db(k) = dk;
    }
    gr.dc = dl;
    return gr;
}

void online_step(net& n, const loss_spec& l, const rates& r, const xt::xtensor<double, 1>& x, double y) {
    apply(n, gradients(n, l, x, y), r, double(x.size()));
}

void full_batch_step(net& n, const loss_spec& l, const rates& r, const xt::xtensor<double, 2>& X,
                     const xt::xtensor<double, 1>& y) {
    const std::size_t M = X.shape(0);
    grads sum;
    for (std::size_t mu = 0; mu < M; ++mu) {
        const xt::xtensor<double, 1> x = xt::view(X, mu, xt::all());
        grads gr = gradients(n, l, x, y(mu));
        if (mu == 0) { sum = gr; continue; }
        sum.dW += gr.dW;
        sum.dv += gr.dv;
        sum.db += gr.db;
        sum.dc += gr.dc;
    }
    sum.dW /= double(M);
    sum.dv /= double(M);
    sum.db /= double(M);
    sum.dc /= double(M);
    apply(n, sum, r, double(X.shape(1)));
}

double mc_generalization_error(const net& student, const net& teacher, int samples, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> normal;
    xt::xtensor<double, 1> x = xt::zeros<double>({student.W.shape(1)});
    double acc = 0;
    for (int i = 0; i < samples; ++i) {
        for (auto& xi : x) xi = normal(gen);
        const double d = forward(student, x) - forward(teacher, x);
        acc += 0.5 * d * d;
    }
    return acc / samples;
}

}  // namespace twolayer_ref
