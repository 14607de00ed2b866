// Shared helpers for the portable tests: the one table of tolerances, random fills, byte
// comparison of weights, and the fixtures the training tests start from (a sample buffer, a
// teacher and a student, a pair of identical networks, a network with biases, a Gaussian
// dataset).
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

// A sample buffer of N values of format F, passed to the library as the array itself.
template <class F, twolayer::index_t N>
struct sample {
    using S = twolayer::storage_t<F>;
    S x[N];
    // Fills x with fresh N(0, 1) values (rounded to nearest into F) and returns it.
    const S (&draw(twolayer::gaussian_rng& g))[N] {
        for (S& xi : x) xi = twolayer::format_traits<F>::from_double(g.next());
        return x;
    }
};

// The teacher-student setup: a teacher with PT units and a student with P units (same
// activation), both drawn by init_network from rng(seed), the teacher first (second layer 1),
// then the student (second layer `how`); and a sample buffer x drawn from the same rng.
template <class F, twolayer::index_t N, twolayer::index_t P, twolayer::index_t PT, class Act = twolayer::act::erf>
struct teacher_student {
    using S = twolayer::storage_t<F>;
    using C = twolayer::compute_t<F>;
    twolayer::network<F, N, PT, Act> teacher;
    twolayer::network<F, N, P, Act> student;
    twolayer::gaussian_rng rng;
    sample<F, N> x;

    explicit teacher_student(std::uint64_t seed, twolayer::second_layer_init how = twolayer::second_layer_init::inv_p)
        : rng(seed) {
        twolayer::init_network(teacher, rng);
        twolayer::init_network(student, rng, how);
    }
    // A fresh sample in x; returns it.
    const S (&draw())[N] { return x.draw(rng); }
};

// Two networks drawn identically (init_network from a generator seeded `seed` each, second
// layer `how`): one to train one way, the other another way, compared bit for bit afterwards.
// rng: a's generator, after a's initialization.
template <class F, twolayer::index_t N, twolayer::index_t P, class Act = twolayer::act::erf>
struct network_pair {
    twolayer::network<F, N, P, Act> a, b;
    twolayer::gaussian_rng rng;
    explicit network_pair(std::uint64_t seed, twolayer::second_layer_init how = twolayer::second_layer_init::one)
        : rng(seed) {
        twolayer::gaussian_rng gb(seed);
        twolayer::init_network(a, rng, how);
        twolayer::init_network(b, gb, how);
    }
};

// A network drawn by init_network from rng(seed) with both biases on, and a Gaussian sample x
// drawn after it from the same rng: the guard tests' start.
template <class F, twolayer::index_t N, twolayer::index_t P, class Act = twolayer::act::tanh>
struct biased_network {
    twolayer::network<F, N, P, Act> net;
    twolayer::storage_t<F> x[N];
    explicit biased_network(std::uint64_t seed) {
        twolayer::gaussian_rng g(seed);
        twolayer::init_network(net, g);
        net.use_hidden_bias(true);
        net.use_output_bias(true);
        for (auto& xi : x) xi = g.gaussian<twolayer::storage_t<F>>();
    }
};

// Every input of a dataset N(0, 1) (and the labels too when `labels`), from g.
template <class T, twolayer::index_t M, twolayer::index_t N>
void fill_gaussian(twolayer::dataset<T, M, N>& d, twolayer::gaussian_rng& g, bool labels = false) {
    fill_gaussian(d.X.view().flat(), g);
    if (labels) fill_gaussian(d.y.view(), g);
}

// Monte-Carlo generalization error 0.5 E[(student - teacher)^2] on `samples` fresh inputs.
template <class Student, class Teacher>
double mc_generalization_error(Student& s, Teacher& t, twolayer::gaussian_rng& g, int samples) {
    using T = typename Student::value_type;
    T x[Student::inputs()];
    double acc = 0;
    for (int i = 0; i < samples; ++i) {
        for (auto& xi : x) xi = g.gaussian<T>();
        const double d = double(s.forward(x)) - double(t.forward(x));
        acc += 0.5 * d * d;
    }
    return acc / samples;
}

}  // namespace tl_test
