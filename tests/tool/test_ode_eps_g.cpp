// eps_g in closed form from the order parameters (erf, quadratic) against the library's closed
// form on the same networks and against Monte Carlo over inputs.
#include <gtest/gtest.h>

#include "ode_test_util.hpp"
#include "tool/ode/eps_g.hpp"
#include "tool/ode/problem.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/teacher/generalization_error.hpp"

namespace {

using namespace twolayer;
using namespace twolayer::tool;
using namespace twolayer::tool::ode;
constexpr index_t N = 60, P = 3, PS = 2;

template <class Act>
struct pair_of_networks {
    network<double, N, P, Act> student;
    network<double, N, PS, Act> teacher;
    initial_weights w;  // the same weights in the tool's form

    explicit pair_of_networks(std::uint64_t seed) {
        gaussian_rng g(seed, 0);
        w.N = N;
        w.P = P;
        w.P_star = PS;
        for (index_t i = 0; i < P; ++i)
            for (index_t j = 0; j < N; ++j) w.W.push_back(student.W_mut()(i, j) = 0.7 * g.next());
        for (index_t n = 0; n < PS; ++n)
            for (index_t j = 0; j < N; ++j) w.W_star.push_back(teacher.W_mut()(n, j) = g.next());
        // correlate the student with the teacher, so R is not small
        for (index_t j = 0; j < N; ++j) {
            student.W_mut()(0, j) += 0.8 * teacher.W()(0, j);
            w.W[std::size_t(j)] = student.W()(0, j);
        }
        const double v[P] = {0.9, -0.4, 1.3}, vs[PS] = {1.0, 0.7};
        for (index_t i = 0; i < P; ++i) w.v.push_back(student.v_mut()[i] = v[i]);
        for (index_t n = 0; n < PS; ++n) w.v_star.push_back(teacher.v_mut()[n] = vs[n]);
    }

    // 0.5 (yhat - y*)^2 over fresh inputs.
    ode_test::mc_mean monte_carlo(long samples) {
        gaussian_rng g(77, 3);
        ode_test::mc_mean m(1);
        alignas(64) double x[N];
        for (long s = 0; s < samples; ++s) {
            for (double& e : x) e = g.next();
            const double d = student.forward(x) - teacher.forward(x);
            m.add({0.5 * d * d});
        }
        return m;
    }
};

template <class Act>
void check(flow_kind kind, std::uint64_t seed) {
    pair_of_networks<Act> nets(seed);
    const order_state s = order_state_of(nets.w);
    const double closed = eps_g(kind, s);
    EXPECT_NEAR(closed, generalization_error(nets.student, nets.teacher), 1e-12 * (1 + closed));
    const ode_test::mc_mean m = nets.monte_carlo(300000);
    EXPECT_NEAR(closed, m.mean(0), 4.5 * m.se(0)) << "se " << m.se(0);
    EXPECT_LT(m.se(0), 0.02 * closed);
}

TEST(ode_eps_g, erf_matches_the_library_and_monte_carlo) { check<act::erf>(flow_kind::erf, 3); }
TEST(ode_eps_g, quadratic_matches_the_library_and_monte_carlo) { check<act::quadratic>(flow_kind::quadratic, 4); }

TEST(ode_eps_g, a_student_equal_to_its_teacher_has_zero_error) {
    order_state s;
    s.T = ode_test::random_covariance(2, 9);
    s.Q = s.T;
    s.R = s.T;
    s.v = s.v_star = {1.0, 0.6};
    EXPECT_NEAR(eps_g_erf(s), 0, 1e-15);
    EXPECT_NEAR(eps_g_quadratic(s), 0, 1e-14);
}

}  // namespace
