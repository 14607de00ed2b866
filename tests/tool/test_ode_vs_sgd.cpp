// Whole learning curves: online SGD of the library from the initial weights of chains 0..C-1
// (draw_initial_weights, as `train` draws them, with each chain's sample stream) against the ODE
// integrated from each chain's own initial order parameters. Through the plateau and after the
// escape the mean difference of eps_g stays within a few standard errors of zero (plus a small
// allowance for the O(1/N) finite-size bias), while the ODE without its eta^2 term is far off
// (eta = 2: the finite learning rate lifts the plateau from 0.011 to 0.064).
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "ode_test_util.hpp"
#include "tool/ode/eps_g.hpp"
#include "tool/ode/problem.hpp"
#include "twolayer/teacher/generalization_error.hpp"
#include "twolayer/train/online_sgd.hpp"

namespace {

using namespace twolayer;
using namespace twolayer::tool;
using namespace twolayer::tool::ode;
constexpr index_t N = 500, P = 2, PS = 2;

// eps_g(t) of one SGD chain at the report times (closed form from the current weights).
std::vector<double> sgd_curve(const model_options& m, const training_options& t, long chain,
                              const std::vector<double>& times) {
    const initial_weights w = draw_initial_weights(m, chain);
    auto student = std::make_unique<network<double, N, P, act::erf>>();
    auto teacher = std::make_unique<network<double, N, PS, act::erf>>();
    for (index_t i = 0; i < P; ++i)
        for (index_t j = 0; j < N; ++j) student->W_mut()(i, j) = w.W[std::size_t(i * N + j)];
    for (index_t n = 0; n < PS; ++n)
        for (index_t j = 0; j < N; ++j) teacher->W_mut()(n, j) = w.W_star[std::size_t(n * N + j)];
    train_config<double> c;
    c.lr_w = t.lr;
    c.train_v = false;
    online_sgd<double> sgd(c);
    std::mt19937_64 samples(m.seed * 1000003 + std::uint64_t(chain));  // any Gaussian stream serves
    std::normal_distribution<double> normal;
    alignas(64) double x[N];
    std::vector<double> curve;
    std::uint64_t step = 0;
    for (double tr : times) {
        const std::uint64_t until = std::uint64_t(std::llround(tr * N));
        for (; step < until; ++step) {
            for (double& e : x) e = normal(samples);
            const double y = teacher->forward(x);
            if (!sgd.step(*student, x, y).ok()) ADD_FAILURE() << "refused step";
        }
        curve.push_back(generalization_error(*student, *teacher));
    }
    return curve;
}

TEST(ode_vs_sgd, erf_committee_through_the_plateau_and_the_escape) {
    model_options m;
    m.N = N;
    m.P = P;
    m.P_star = PS;
    m.init_scale = 0.5;
    m.seed = 3;
    training_options t;
    t.lr = 2.0;
    t.t_max = 80;
    const std::vector<double> times = report_times(t.t_max, m.N, 16);
    const long chains = 5;
    ode_test::mc_mean diff(times.size()), diff_drift(times.size());
    std::vector<double> mean_ode(times.size(), 0.0);
    for (long c = 0; c < chains; ++c) {
        ode_problem p = problem_from_options(m, t, false);
        p.initial = order_state_of(draw_initial_weights(m, c));
        const ode_solution full = solve(p, times, {});
        p.params.drift_only = true;
        const ode_solution drift = solve(p, times, {});
        const std::vector<double> sgd = sgd_curve(m, t, c, times);
        std::vector<double> d(times.size()), dd(times.size());
        for (std::size_t i = 0; i < times.size(); ++i) {
            d[i] = sgd[i] - full.reports[i].eps_g;
            dd[i] = sgd[i] - drift.reports[i].eps_g;
            mean_ode[i] += full.reports[i].eps_g / double(chains);
        }
        diff.add(d);
        diff_drift.add(dd);
    }
    // The ODE: within 4 standard errors plus 3% (the O(1/N) finite-size bias at N = 500). The
    // drift-only ODE: somewhere more than 10 standard errors plus 3% away.
    double drift_miss = 0;
    for (std::size_t i = 0; i < times.size(); ++i) {
        const double allowance = 0.03 * mean_ode[i];
        EXPECT_LE(std::fabs(diff.mean(i)), 4 * diff.se(i) + allowance)
            << "t = " << times[i] << ": ODE " << mean_ode[i] << ", SGD - ODE " << diff.mean(i) << " +- " << diff.se(i);
        drift_miss = std::fmax(drift_miss, (std::fabs(diff_drift.mean(i)) - allowance) / diff_drift.se(i));
    }
    EXPECT_GT(drift_miss, 10);
    // the run went through the plateau (t ~ 10 to 40, eps_g ~ 0.064) and out of it
    std::size_t plateau = 0;
    while (times[plateau] < 15) ++plateau;
    EXPECT_GT(mean_ode[plateau], 0.05);
    EXPECT_LT(mean_ode.back(), 0.3 * mean_ode[plateau]);
}

}  // namespace
