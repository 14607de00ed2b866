// eps_g: the closed form against the Monte-Carlo estimate on the same weights (every activation
// with a closed form), and the meter's choice between them.
#include <cmath>

#include <gtest/gtest.h>

#include "sim_test_util.hpp"
#include "tool/sim/eps_g.hpp"

namespace {

using namespace tl_sim_test;

// A student some way from its teacher (trained a little, so Q and R are not the initial ones),
// its eps_g in closed form and on a 40,000-sample test set.
void expect_closed_form_matches_monte_carlo(activation_id act) {
    train_settings s = small_settings(60, 3, 2, "double");
    s.model.act = s.model.teacher_act = act;
    s.model.train_v = true;
    s.training.lr = 0.05;
    s.test_samples = 40000;
    chain_under_test t(s, 2);
    ASSERT_EQ(t.c->advance(100).status, step_status::ok);
    initial_weights w = t.start;
    t.c->student_weights(w.W, w.v);
    const double closed = closed_form_eps_g(act, w);
    const test_set test(s, 2, t.teacher);
    const eps_g_value mc = test.measure(*t.c);
    ASSERT_GT(mc.se, 0);
    ASSERT_GT(closed, 10 * mc.se) << "eps_g too small for the comparison to mean something";
    EXPECT_NEAR(closed, mc.value, 4 * mc.se) << activation_name(act) << ": closed form " << closed << ", Monte Carlo "
                                            << mc.value << " +- " << mc.se;
}

TEST(EpsG, ClosedFormMatchesMonteCarloErf) { expect_closed_form_matches_monte_carlo(activation_id::erf); }
TEST(EpsG, ClosedFormMatchesMonteCarloRelu) { expect_closed_form_matches_monte_carlo(activation_id::relu); }
TEST(EpsG, ClosedFormMatchesMonteCarloQuadratic) { expect_closed_form_matches_monte_carlo(activation_id::quadratic); }
TEST(EpsG, ClosedFormMatchesMonteCarloLinear) { expect_closed_form_matches_monte_carlo(activation_id::linear); }

// At the teacher's own weights the closed form is 0 (up to rounding), and so is every test error.
TEST(EpsG, ZeroForTheTeacherItself) {
    train_settings s = small_settings(40, 2, 2, "double");
    s.model.init_scale = 1.0;
    initial_weights w = draw_initial_weights(s.model, 0);
    w.W = w.W_star;
    w.v = w.v_star;
    EXPECT_NEAR(closed_form_eps_g(activation_id::erf, w), 0.0, 1e-14);
}

// The meter: closed form (se 0) when the activations allow it, Monte Carlo (se > 0) otherwise.
TEST(EpsG, MeterPicksClosedFormOrMonteCarlo) {
    train_settings s = small_settings(30, 2, 2, "float");
    chain_under_test closed(s, 0);
    eps_g_meter m1(s, 0, closed.start, closed.teacher);
    EXPECT_EQ(m1.measure(*closed.c).se, 0.0);
    s.model.teacher_act = activation_id::tanh;
    chain_under_test mc(s, 0);
    eps_g_meter m2(s, 0, mc.start, mc.teacher);
    const eps_g_value e = m2.measure(*mc.c);
    EXPECT_GT(e.se, 0.0);
    EXPECT_GT(e.value, 0.0);
}

}  // namespace
