// Shared helpers for the portable tests: random fills, byte comparison of weights, and the one
// table of tolerances.
#pragma once
#include <cmath>
#include <cstring>

#include "harness.hpp"
#include "twolayer/twolayer.hpp"

namespace tl_test {

// Tolerances per number type, in one place. Finite differences: central difference with step h
// (error ~ h^2 f''' + eps / h); rel is relative to max(1, |exact|).
template <class T> struct tolerance;
template <> struct tolerance<double> {
    static constexpr double fd_step = 1e-5;
    static constexpr double fd_rel = 1e-6;
    // Library vs the xtensor reference after 100 online / 20 GD steps (same formulas, other
    // summation order and grouping): rounding only.
    static constexpr double reference_rel = 1e-12;
};
template <> struct tolerance<float> {
    // eps_f^(1/3) ~ 5e-3 balances truncation and rounding; the rounding part eps_f/h ~ 2e-5
    // times the size of the loss sets the error, so 1e-2 leaves a margin for sums over N terms.
    static constexpr double fd_step = 1e-2;
    static constexpr double fd_rel = 1e-2;
    // Float library vs the double reference after 100 online / 20 GD steps (N = 12): each step
    // adds rounding of order eps_f sqrt(N) to weights of order 1, accumulating like a random walk
    // over 100 steps; k = 8: 8 * eps_f * sqrt(12) * sqrt(100) = 3.3e-5 (measured: 3.1e-6).
    static constexpr double reference_rel = 8 * 1.1920929e-7 * 3.4641016 * 10;
};

// Every format against double on the same inputs: |x_F - x_double| <= k * resolution * sqrt(fan-in)
// * scale, with scale the root-mean-square size of one term of the sum (plus 1 for the absolute
// steps of fixed point). The k's, in one table:
//   forward:  weights and inputs rounded once each (<= 1/2 step), products and sums in the
//             arithmetic type; random rounding errors add like a random walk, so sqrt(fan-in) with
//             k = 2 holds for every format (measured worst ratios are printed by the tests).
//   gradient: the same errors enter through yhat - y, delta = v g'(lambda) and x once more: k = 4.
struct format_tolerance {
    static constexpr double k_forward = 2.0;
    static constexpr double k_gradient = 4.0;
};

// Kolmogorov-Smirnov against the standard normal: sorts z in place (insertion sort, no library
// sort needed on a board) and returns sqrt(n) D_n, D_n = sup |F_n - Phi|.
// P(sqrt(n) D_n > 1.95) ~ 0.001 for n in the thousands.
inline double ks_normal_statistic(double* z, int n) {
    for (int i = 1; i < n; ++i) {
        const double v = z[i];
        int j = i - 1;
        while (j >= 0 && z[j] > v) { z[j + 1] = z[j]; --j; }
        z[j + 1] = v;
    }
    double d = 0;
    for (int i = 0; i < n; ++i) {
        const double phi = 0.5 * std::erfc(-z[i] / std::sqrt(2.0));
        d = std::fmax(d, std::fmax(std::fabs(phi - double(i) / n), std::fabs(double(i + 1) / n - phi)));
    }
    return std::sqrt(double(n)) * d;
}

template <class T, twolayer::index_t E>
void fill_gaussian(twolayer::vec_view<T, E> v, twolayer::gaussian_rng& g, double scale = 1.0) {
    for (twolayer::index_t i = 0; i < v.size(); ++i) v[i] = T(scale * g.next());
}

// The bytes of every parameter of a network, for "unchanged bit for bit" checks.
template <class Net>
struct weight_snapshot {
    typename Net::value_type W[Net::hidden() * Net::inputs()];
    typename Net::value_type v[Net::hidden()];
    typename Net::value_type b[Net::hidden()];
    typename Net::value_type c;

    explicit weight_snapshot(const Net& net) {
        std::memcpy(W, net.W().data(), sizeof W);
        std::memcpy(v, net.v().data(), sizeof v);
        std::memcpy(b, net.hidden_bias().data(), sizeof b);
        c = net.output_bias();
    }
    bool same_as(const Net& net) const {
        const typename Net::value_type cc = net.output_bias();
        return std::memcmp(W, net.W().data(), sizeof W) == 0 && std::memcmp(v, net.v().data(), sizeof v) == 0 &&
               std::memcmp(b, net.hidden_bias().data(), sizeof b) == 0 && std::memcmp(&c, &cc, sizeof c) == 0;
    }
    bool same_first_layer(const Net& net) const { return std::memcmp(W, net.W().data(), sizeof W) == 0; }
    bool same_second_layer(const Net& net) const { return std::memcmp(v, net.v().data(), sizeof v) == 0; }
};

// Monte-Carlo generalization error 0.5 E[(student - teacher)^2] on `samples` fresh inputs.
template <class Student, class Teacher>
double mc_generalization_error(Student& s, Teacher& t, twolayer::gaussian_rng& g, int samples) {
    using T = typename Student::value_type;
    T x[Student::inputs()];
    double acc = 0;
    for (int i = 0; i < samples; ++i) {
        for (auto& xi : x) xi = g.gaussian<T>();
        const twolayer::vec_view<const T, Student::inputs()> xv(x, Student::inputs());
        const double d = double(s.forward(xv)) - double(t.forward(xv));
        acc += 0.5 * d * d;
    }
    return acc / samples;
}

}  // namespace tl_test
