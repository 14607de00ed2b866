// The independent double-precision reference: textbook formulas on xtensor arrays, sharing no
// code with include/twolayer. Tests hold the library's double instantiation to it (1e-12) and
// every other format to it within the tolerance table.
#pragma once
#include <cstdint>
#include <xtensor/xtensor.hpp>

namespace twolayer_ref {

enum class activation { erf, relu, quadratic, tanh, sigmoid, linear, abs };
enum class loss { squared, weighted_squared, logistic };

struct net {
    xt::xtensor<double, 2> W;  // P x N
    xt::xtensor<double, 1> v;  // P
    xt::xtensor<double, 1> b;  // P, hidden biases
    double c = 0;              // output bias
    bool hidden_bias = false, output_bias = false;
    activation act = activation::erf;
};

struct loss_spec {
    loss kind = loss::squared;
    double weight_positive = 1, weight_negative = 1;
};

struct rates {
    double lr_w = 1, lr_v = 1, lr_b = 1, wd_w = 0, wd_v = 0;
    bool teacher_student_scaling = true;
};

struct grads {
    xt::xtensor<double, 2> dW;
    xt::xtensor<double, 1> dv, db;
    double dc = 0;
};

double g(activation a, double z);
double g_prime(activation a, double z);
double forward(const net& n, const xt::xtensor<double, 1>& x);
double loss_value(const loss_spec& l, double yhat, double y);
double loss_deriv(const loss_spec& l, double yhat, double y);
grads gradients(const net& n, const loss_spec& l, const xt::xtensor<double, 1>& x, double y);
void online_step(net& n, const loss_spec& l, const rates& r, const xt::xtensor<double, 1>& x, double y);
// X: M x N samples, y: M labels; mean gradient over all samples, then one update.
void full_batch_step(net& n, const loss_spec& l, const rates& r, const xt::xtensor<double, 2>& X,
                     const xt::xtensor<double, 1>& y);
// 0.5 E[(student - teacher)^2] on `samples` inputs drawn with std::mt19937_64(seed).
double mc_generalization_error(const net& student, const net& teacher, int samples, std::uint64_t seed);

}  // namespace twolayer_ref
