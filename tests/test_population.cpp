// Population loss and gradient (analysis/population.hpp) for erf, ReLU, quadratic and linear
// students against teachers of the same activation:
//   - the loss equals generalization_error of the same networks (1e-12 relative);
//   - the gradient equals central differences of the loss, in W and in v (h = 1e-5: the error is
//     O(h^2 f''') ~ 1e-10 plus rounding ~ 1e-16 / h = 1e-11, so 1e-7 relative to the largest entry
//     leaves room and still catches a wrong term, which is O(1));
//   - the Hessian by differences of the gradient: for linear units exactly (v v^T kron I) / N
//     within its own error estimate; for erf, ReLU and quadratic units its error estimate small and
//     its product with a direction equal to the gradient's directional difference; the weights
//     restored bit for bit;
//   - the gradient equals a Monte-Carlo estimate E[(yhat - y*) v_i g'(lambda_i) x / sqrt N] and
//     E[(yhat - y*) g(lambda_i)] on fresh inputs within 5 standard errors (host: 4 x 10^5 samples;
//     boards fewer).
#include <cmath>

#include "test_util.hpp"
#include "twolayer/analysis/population.hpp"
#include "twolayer/teacher/generalization_error.hpp"

using namespace twolayer;

namespace {

#if defined(__x86_64__)
constexpr int SAMPLES = 400000;
#else
constexpr int SAMPLES = 4000;
#endif

constexpr index_t N = 7, P = 3, PT = 2;

template <class Act>
struct problem {
    network<double, N, P, Act> s;
    network<double, N, PT, Act> t;
    explicit problem(std::uint64_t seed) {
        gaussian_rng g(seed);
        init_network(s, g);
        init_network(t, g);
        for (auto& w : s.W_mut().flat()) w *= 0.8;  // unequal norms exercise the general formula
        tl_test::fill_gaussian(s.v_mut(), g, 0.7);
        tl_test::fill_gaussian(t.v_mut(), g, 0.7);
    }
};

double scratch_buf[population::population_scratch_size(P, PT)];

vec_view<double> scratch() { return vec_view<double>(scratch_buf, population::population_scratch_size(P, PT)); }

template <class Act>
double loss_at(const mat<double, P, N>& w, const vec<double, P>& v, const problem<Act>& pr) {
    return population::loss(Act{}, w.view(), v.view(), pr.t.W(), pr.t.v(), scratch());
}

template <class Act>
void check_against_networks(std::uint64_t seed) {
    const problem<Act> pr(seed);
    const double e = population::loss(Act{}, pr.s.W(), pr.s.v(), pr.t.W(), pr.t.v(), scratch());
    const double ref = generalization_error(pr.s, pr.t);
    TL_INFO("    %s: population loss %.15g, generalization_error %.15g\n", Act::name, e, ref);
    TL_CHECK_NEAR(e, ref, 1e-12 * ref);
}

template <class Act>
void check_finite_differences(std::uint64_t seed) {
    const problem<Act> pr(seed);
    mat<double, P, N> w, gw;
    vec<double, P> v, gv;
    for (index_t i = 0; i < P; ++i) {
        v[i] = pr.s.v()[i];
        for (index_t j = 0; j < N; ++j) w(i, j) = pr.s.W()(i, j);
    }
    population::loss_and_gradient(Act{}, w.view(), v.view(), pr.t.W(), pr.t.v(), gw.view(), gv.view(), scratch());
    const double h = 1e-5;
    double worst = 0, largest = 0;
    for (index_t i = 0; i < P; ++i) {
        for (index_t j = 0; j < N; ++j) {
            const double keep = w(i, j);
            w(i, j) = keep + h;
            const double up = loss_at(w, v, pr);
            w(i, j) = keep - h;
            const double down = loss_at(w, v, pr);
            w(i, j) = keep;
            const double fd = (up - down) / (2 * h);
            worst = std::fmax(worst, std::fabs(fd - gw(i, j)));
            largest = std::fmax(largest, std::fabs(gw(i, j)));
        }
        const double keep = v[i];
        v[i] = keep + h;
        const double up = loss_at(w, v, pr);
        v[i] = keep - h;
        const double down = loss_at(w, v, pr);
        v[i] = keep;
        const double fd = (up - down) / (2 * h);
        worst = std::fmax(worst, std::fabs(fd - gv[i]));
        largest = std::fmax(largest, std::fabs(gv[i]));
    }
    TL_INFO("    %s: largest |gradient - central difference| %.2e (largest entry %.3f)\n", Act::name, worst, largest);
    TL_CHECK(largest > 1e-3);
    TL_CHECK(worst < 1e-7 * largest);
}

template <class Act>
void check_monte_carlo(std::uint64_t seed) {
    problem<Act> pr(seed);  // forward() stores the pre-activations in the network
    mat<double, P, N> gw;
    vec<double, P> gv;
    population::loss_and_gradient(Act{}, pr.s.W(), pr.s.v(), pr.t.W(), pr.t.v(), gw.view(), gv.view(), scratch());
    // Running sums of every gradient entry and of its square: the mean and its standard error.
    double m1[P * N + P] = {}, m2[P * N + P] = {};
    gaussian_rng g(seed + 100);
    tl_test::sample<double, N> xs;
    const double root_n = std::sqrt(double(N));
    for (int s = 0; s < SAMPLES; ++s) {
        const auto& x = xs.draw(g);
        const double d = pr.s.forward(x) - pr.t.forward(x);
        for (index_t i = 0; i < P; ++i) {
            double lam = 0;
            for (index_t j = 0; j < N; ++j) lam += pr.s.W()(i, j) * x[j];
            lam /= root_n;
            const double a = d * pr.s.v()[i] * Act::d1(lam) / root_n;
            for (index_t j = 0; j < N; ++j) {
                const double e = a * x[j];
                m1[i * N + j] += e;
                m2[i * N + j] += e * e;
            }
            const double e = d * Act::value(lam);
            m1[P * N + i] += e;
            m2[P * N + i] += e * e;
        }
    }
    double worst = 0;  // in standard errors
    for (index_t k = 0; k < P * N + P; ++k) {
        const double mean = m1[k] / SAMPLES;
        const double se = std::sqrt((m2[k] / SAMPLES - mean * mean) / SAMPLES);
        const double exact = k < P * N ? gw(k / N, k % N) : gv[k - P * N];
        worst = std::fmax(worst, std::fabs(mean - exact) / se);
    }
    TL_INFO("    %s: largest |gradient - Monte Carlo| = %.2f standard errors over %d entries\n", Act::name, worst,
            int(P * N + P));
    TL_CHECK(worst < 5);
}

}  // namespace

TL_TEST(population_loss_equals_generalization_error) {
    check_against_networks<act::erf>(1);
    check_against_networks<act::relu>(2);
    check_against_networks<act::quadratic>(3);
    check_against_networks<act::linear>(4);
}

TL_TEST(population_gradient_against_finite_differences) {
    check_finite_differences<act::erf>(5);
    check_finite_differences<act::relu>(6);
    check_finite_differences<act::quadratic>(7);
    check_finite_differences<act::linear>(8);
}

TL_TEST(population_gradient_against_monte_carlo) {
    check_monte_carlo<act::erf>(9);
    check_monte_carlo<act::relu>(10);
    check_monte_carlo<act::quadratic>(11);
    check_monte_carlo<act::linear>(12);
}

namespace {

constexpr index_t DIM = P * N + P;
double hess_buf[DIM * DIM];
double work_buf[population::hessian_workspace_size(P, PT, N)];

template <class Act>
void check_hessian(std::uint64_t seed) {
    problem<Act> pr(seed);
    const hessian_blocks both{true, true};
    mat_view<double> H(hess_buf, DIM, DIM);
    mat<double, P, N> w0;
    vec<double, P> v0;
    for (index_t i = 0; i < P; ++i) {
        v0[i] = pr.s.v()[i];
        for (index_t j = 0; j < N; ++j) w0(i, j) = pr.s.W()(i, j);
    }
    const double err = population::hessian(Act{}, pr.s.W_mut(), pr.s.v_mut(), pr.t.W(), pr.t.v(), both, 1e-4, H,
                                           vec_view<double>(work_buf, population::hessian_workspace_size(P, PT, N)));
    for (index_t i = 0; i < P; ++i) {  // restored bit for bit
        TL_CHECK(pr.s.v()[i] == v0[i]);
        for (index_t j = 0; j < N; ++j) TL_CHECK(pr.s.W()(i, j) == w0(i, j));
    }
    double largest = 0;
    for (index_t r = 0; r < DIM; ++r)
        for (index_t k = 0; k < DIM; ++k) {
            TL_CHECK(H(r, k) == H(k, r));
            largest = std::fmax(largest, std::fabs(H(r, k)));
        }
    // H u against the gradient's central difference along u (one direction through all blocks).
    gaussian_rng g(seed + 7);
    double u[DIM];
    for (auto& x : u) x = g.next();
    mat<double, P, N> wp, wm, gwp, gwm;
    vec<double, P> vp, vm, gvp, gvm;
    const double h = 1e-4;
    for (index_t i = 0; i < P; ++i) {
        for (index_t j = 0; j < N; ++j) {
            wp(i, j) = w0(i, j) + h * u[i * N + j];
            wm(i, j) = w0(i, j) - h * u[i * N + j];
        }
        vp[i] = v0[i] + h * u[P * N + i];
        vm[i] = v0[i] - h * u[P * N + i];
    }
    population::loss_and_gradient(Act{}, wp.view(), vp.view(), pr.t.W(), pr.t.v(), gwp.view(), gvp.view(), scratch());
    population::loss_and_gradient(Act{}, wm.view(), vm.view(), pr.t.W(), pr.t.v(), gwm.view(), gvm.view(), scratch());
    double worst = 0;
    for (index_t r = 0; r < DIM; ++r) {
        double hu = 0;
        for (index_t k = 0; k < DIM; ++k) hu += H(r, k) * u[k];
        const double fd = r < P * N ? (gwp(r / N, r % N) - gwm(r / N, r % N)) / (2 * h) : (gvp[r - P * N] - gvm[r - P * N]) / (2 * h);
        worst = std::fmax(worst, std::fabs(hu - fd));
    }
    TL_INFO("    %s: Hessian %zu x %zu, largest entry %.3f, error estimate %.1e, |H u - difference| %.1e\n", Act::name,
            std::size_t(DIM), std::size_t(DIM), largest, err, worst);
    TL_CHECK(largest > 1e-2);
    TL_CHECK(err < 1e-6 * largest);
    TL_CHECK(worst < 1e-5 * largest);
}

}  // namespace

TL_TEST(population_hessian_linear_is_exact) {
    problem<act::linear> pr(31);
    const hessian_blocks first{true, false};
    constexpr index_t D = P * N;
    mat_view<double> H(hess_buf, D, D);
    const double err = population::hessian(act::linear{}, pr.s.W_mut(), pr.s.v_mut(), pr.t.W(), pr.t.v(), first, 1e-3,
                                           H, vec_view<double>(work_buf, population::hessian_workspace_size(P, PT, N)));
    // eps = 0.5 (v^T Q v - 2 v^T R v* + v*^T T v*): d^2 eps / dw_ij dw_kl = v_i v_k delta_jl / N.
    double worst = 0;
    for (index_t r = 0; r < D; ++r)
        for (index_t k = 0; k < D; ++k) {
            const double exact = (r % N == k % N) ? pr.s.v()[r / N] * pr.s.v()[k / N] / double(N) : 0.0;
            worst = std::fmax(worst, std::fabs(H(r, k) - exact));
        }
    TL_INFO("    linear: |H - (v v^T kron I) / N| = %.1e, error estimate %.1e\n", worst, err);
    TL_CHECK(worst < 1e-9);
    TL_CHECK(worst <= 10 * err + 1e-12);
}

TL_TEST(population_hessian_by_differences) {
    check_hessian<act::erf>(32);
    check_hessian<act::relu>(33);
    check_hessian<act::quadratic>(34);
}
