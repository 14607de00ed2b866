// The conserved quantities of the quadratic flow (tool/ode/invariants.hpp) along integrated
// trajectories: each holds where the derivation says it does, and visibly fails where it does not
// (so the checks can fail).
#include <gtest/gtest.h>

#include "ode_test_util.hpp"
#include "tool/ode/invariants.hpp"
#include "tool/ode/linalg.hpp"
#include "tool/ode/solve.hpp"

namespace {

using namespace twolayer::tool::ode;

// Q = Q_perp + R T^-1 R^T with the given parts (a state that real weights can have).
order_state state_from(const matrix& Q_perp, const matrix& R, const matrix& T, std::vector<double> v,
                       std::vector<double> v_star) {
    order_state s;
    s.R = R;
    s.T = T;
    s.Q = Q_perp + R * symmetric_function(T, [](double l) { return 1 / l; }) * transpose(R);
    s.v = std::move(v);
    s.v_star = std::move(v_star);
    return s;
}

matrix random_matrix(long r, long c, double scale, std::uint64_t seed) {
    twolayer::gaussian_rng g(seed, 2);
    matrix m(r, c);
    for (double& e : m.a) e = scale * g.next();
    return m;
}

ode_problem quadratic_problem(order_state s, double eta, bool drift_only, bool train_v = false) {
    ode_problem p;
    p.kind = flow_kind::quadratic;
    p.params.eta = eta;
    p.params.eta_v = 0.6 * eta;
    p.params.drift_only = drift_only;
    p.params.train_v = train_v;
    p.initial = std::move(s);
    return p;
}

integrator_options tight() {
    integrator_options o;
    o.rtol = 1e-12;
    o.atol = 1e-14;
    return o;
}

const std::vector<double> times = {0, 1, 3, 10, 30};

// Drift only, uniform fixed second layers, a generic start (T and Q_perp not multiples of I):
// K(t) stays K(0) while the trajectory learns (eps_g falls, R changes by O(1)); the polar factor of
// R does not stay.
TEST(ode_conserved, rotation_invariant_is_constant_under_the_drift) {
    const order_state s0 = state_from(ode_test::random_covariance(4, 21) * 0.2, random_matrix(4, 2, 0.1, 5),
                                      ode_test::random_covariance(2, 22) + identity(2), {0.5, 0.5, 0.5, 0.5}, {1, 1});
    const ode_solution sol = solve(quadratic_problem(s0, 0.05, true), times, tight());
    ASSERT_EQ(sol.result.end, integration_result::status::done);
    const matrix K0 = rotation_invariant(s0, 0, 0.05);
    const matrix U0 = polar_factor(s0.R);
    for (const ode_report& r : sol.reports) {
        const double scale = std::fabs(K0(0, 0)) + std::fabs(K0(1, 1));
        EXPECT_LT(max_abs_difference(rotation_invariant(r.state, r.t, 0.05), K0), 1e-7 * scale) << "t = " << r.t;
    }
    const order_state& end = sol.reports.back().state;
    EXPECT_LT(sol.reports.back().eps_g, 0.5 * sol.reports.front().eps_g);       // it learned
    EXPECT_GT(max_abs_difference(end.R, s0.R), 0.5);                            // R moved a lot
    EXPECT_GT(max_abs_difference(polar_factor(end.R), U0), 1e-2);               // its polar factor too
}

// The eta^2 term breaks K's constancy (it is not of the congruence form).
TEST(ode_conserved, the_eta2_term_breaks_the_rotation_invariant) {
    const order_state s0 = state_from(ode_test::random_covariance(4, 21) * 0.2, random_matrix(4, 2, 0.1, 5),
                                      ode_test::random_covariance(2, 22) + identity(2), {0.5, 0.5, 0.5, 0.5}, {1, 1});
    const ode_solution sol = solve(quadratic_problem(s0, 0.05, false), times, tight());
    const matrix K0 = rotation_invariant(s0, 0, 0.05);
    const matrix& K = rotation_invariant(sol.reports[3].state, sol.reports[3].t, 0.05);
    EXPECT_GT(max_abs_difference(K, K0), 1e-3 * (std::fabs(K0(0, 0)) + std::fabs(K0(1, 1))));
}

// T = tau I and Q_perp(0) = q I (the N -> infinity random start): the polar factor of R is
// constant, with the eta^2 term as well, while R grows by orders of magnitude (P = 4 > P* = 2).
TEST(ode_conserved, polar_factor_of_R_is_constant_from_an_isotropic_start) {
    const order_state s0 = state_from(identity(4) * 1e-2, random_matrix(4, 2, 0.02, 9), identity(2) * 1.1,
                                      {0.7, 0.7, 0.7, 0.7}, {1, 1});
    const matrix U0 = polar_factor(s0.R);
    for (bool drift_only : {true, false}) {
        const ode_solution sol = solve(quadratic_problem(s0, 0.1, drift_only), {0, 1, 10, 30, 100, 300}, tight());
        ASSERT_EQ(sol.result.end, integration_result::status::done);
        for (const ode_report& r : sol.reports)
            EXPECT_LT(max_abs_difference(polar_factor(r.state.R), U0), 1e-7) << "t = " << r.t << ", drift_only " << drift_only;
        EXPECT_GT(max_abs_difference(sol.reports.back().state.R, s0.R), 0.3);
        EXPECT_LT(sol.reports.back().eps_g, 1e-3 * sol.reports.front().eps_g);  // through the escape to the end
    }
}

// Both layers trained, drift only: Q_ii - (2 eta / eta_v) v_i^2 is constant for every unit while v
// moves; with the eta^2 term it is not.
TEST(ode_conserved, balance_of_each_unit_under_the_drift_with_the_second_layer_trained) {
    const order_state s0 = state_from(ode_test::random_covariance(3, 31) * 0.3, random_matrix(3, 2, 0.3, 6),
                                      ode_test::random_covariance(2, 32) + identity(2), {0.4, 0.9, -0.3}, {1, 0.5});
    const double eta = 0.05;
    const std::vector<double> b0 = balance(s0, eta, 0.6 * eta);
    for (bool drift_only : {true, false}) {
        const ode_solution sol = solve(quadratic_problem(s0, eta, drift_only, true), times, tight());
        ASSERT_EQ(sol.result.end, integration_result::status::done);
        const order_state& end = sol.reports.back().state;
        double worst = 0;
        for (const ode_report& r : sol.reports) {
            const std::vector<double> b = balance(r.state, eta, 0.6 * eta);
            for (std::size_t i = 0; i < b.size(); ++i) worst = std::fmax(worst, std::fabs(b[i] - b0[i]));
        }
        if (drift_only) {
            EXPECT_LT(worst, 1e-9);
        } else {
            EXPECT_GT(worst, 1e-3);
        }
        EXPECT_GT(max_abs_difference(matrix(1, 3, end.v), matrix(1, 3, s0.v)), 0.05);  // the second layer moved
    }
}

TEST(ode_linalg, polar_factor_and_eigendecomposition) {
    const matrix S = ode_test::random_covariance(5, 3);
    const eigen_decomposition d = symmetric_eigen(S);
    EXPECT_LT(max_abs_difference(d.vectors * diagonal(d.values) * transpose(d.vectors), S), 1e-13);
    EXPECT_LT(max_abs_difference(transpose(d.vectors) * d.vectors, identity(5)), 1e-13);
    const matrix R = random_matrix(4, 2, 1.0, 8);
    const matrix U = polar_factor(R);
    EXPECT_LT(max_abs_difference(transpose(U) * U, identity(2)), 1e-13);
    const matrix H = symmetric_function(transpose(R) * R, [](double l) { return std::sqrt(l); });
    EXPECT_LT(max_abs_difference(U * H, R), 1e-13);
}

}  // namespace
