// Host only: Lanczos on the HVP against Eigen's SelfAdjointEigenSolver on the dense Hessian
// (assembled column by column from the HVP), for several activations, losses and sizes up to
// N = 20, P = 6, M = 64 (133 parameters; 41 at N = 8, P = 4): the k = 3 largest and smallest Ritz values within their
// residual bounds of Eigen's eigenvalues after 60 steps, and every eigenvalue after n steps.
#include <Eigen/Dense>

#include "analysis_util.hpp"

using namespace twolayer;
using tl_test::keep_max;
using tl_test::labels;

namespace {

template <index_t N, index_t P, index_t M, class Act, class Loss>
void compare(const Loss& loss, labels how, std::uint64_t seed, index_t steps) {
    constexpr index_t NP = max_flat_size<N, P>;
    gaussian_rng g(seed);
    static network<double, N, P, Act> net;
    static dataset<double, M, N> d;
    tl_test::random_network(net, g);
    tl_test::random_dataset(d, g, how);
    static double H[NP * NP], e[NP], col[NP];
    TL_REQUIRE(tl_test::dense_hessian(net, d, loss, hessian_blocks{}, H, e, col));
    Eigen::MatrixXd A(NP, NP);
    for (index_t i = 0; i < NP; ++i)
        for (index_t j = 0; j < NP; ++j) A(i, j) = 0.5 * (H[i * NP + j] + H[j * NP + i]);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(A, Eigen::EigenvaluesOnly);
    TL_REQUIRE(es.info() == Eigen::Success);
    const Eigen::VectorXd& ev = es.eigenvalues();  // ascending
    const double scale = std::fmax(std::fabs(ev(0)), std::fabs(ev(NP - 1)));

    auto op = make_hessian_operator(net, d, hessian_blocks{}, loss);
    static lanczos<NP, NP> lz;
    TL_REQUIRE(lz.run(op, NP, steps, seed) == lanczos_status::ok);
    double worst = 0, worst_bound = 0;
    for (index_t k = 0; k < 3; ++k) {
        const ritz_pair pl = lz.largest(k), ps = lz.smallest(k);
        const double el = std::fabs(pl.value - ev(NP - 1 - k)), es_ = std::fabs(ps.value - ev(k));
        TL_CHECK(el <= pl.residual_bound + 1e-12 * scale);
        TL_CHECK(es_ <= ps.residual_bound + 1e-12 * scale);
        keep_max(worst, std::fmax(el, es_) / scale);
        keep_max(worst_bound, std::fmax(pl.residual_bound, ps.residual_bound) / scale);
    }
    // n steps: every eigenvalue. A repeated eigenvalue (ReLU's dead units give zero rows and
    // columns: a multiple eigenvalue 0) has one Lanczos vector, so the Krylov space becomes
    // invariant before n steps; then each Ritz value is an eigenvalue and every distinct
    // eigenvalue (clusters closer than 1e-9 |H| merged) has a Ritz value.
    TL_REQUIRE(lz.run(op, NP, NP, seed) == lanczos_status::ok);
    double worst_all = 0;
    index_t distinct = 0;
    if (lz.steps() == NP) {
        for (index_t i = 0; i < NP; ++i) keep_max(worst_all, std::fabs(lz.pair(i).value - ev(i)) / scale);
        distinct = NP;
    } else {
        TL_CHECK(lz.invariant());
        for (index_t i = 0; i < lz.steps(); ++i) {
            double nearest = 1e300;
            for (index_t j = 0; j < NP; ++j) nearest = std::fmin(nearest, std::fabs(lz.pair(i).value - ev(j)));
            keep_max(worst_all, nearest / scale);
        }
        for (index_t j = 0; j < NP; ++j) {
            if (j > 0 && ev(j) - ev(j - 1) <= 1e-9 * scale) continue;
            ++distinct;
            double nearest = 1e300;
            for (index_t i = 0; i < lz.steps(); ++i) nearest = std::fmin(nearest, std::fabs(lz.pair(i).value - ev(j)));
            TL_CHECK(nearest <= 1e-11 * scale);
        }
        TL_CHECK(lz.steps() == distinct);
    }
    TL_CHECK(worst_all <= 1e-11);
    TL_INFO("  n = %d: lambda in [%.5f, %.5f]; %d steps: k = 3 extremes |theta - lambda| / |H| %.1e "
            "(largest bound %.1e); full run: %d steps (%d distinct eigenvalues), all within %.1e\n",
            int(NP), ev(0), ev(NP - 1), int(steps), worst, worst_bound, int(lz.steps()), int(distinct), worst_all);
}

TL_TEST(lanczos_against_eigen_small) {
    compare<8, 4, 16, act::erf>(squared_loss{}, labels::gaussian, 1, 25);
    compare<8, 4, 16, act::relu>(logistic_loss{}, labels::sign, 2, 25);
    compare<8, 4, 16, act::quadratic>(squared_loss{}, labels::gaussian, 3, 25);
}

TL_TEST(lanczos_against_eigen_larger) {
    compare<20, 6, 64, act::tanh>(squared_loss{}, labels::gaussian, 4, 60);
    weighted_squared_loss<double> wl;
    wl.weight_positive = 4.0;
    compare<20, 6, 64, act::sigmoid>(wl, labels::sign, 5, 60);
    compare<20, 6, 64, act::erf>(logistic_loss{}, labels::sign, 6, 60);
}

}  // namespace
