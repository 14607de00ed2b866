// From options to an ODE problem: the initial order parameters are those of the weights `train`
// draws for chain 0, the learning rule is the options', and activations without ODEs are refused.
#include <gtest/gtest.h>

#include "tool/ode/eps_g.hpp"
#include "tool/ode/problem.hpp"
#include "tool/usage_error.hpp"

namespace {

using namespace twolayer;
using namespace twolayer::tool;
using namespace twolayer::tool::ode;

model_options small_model() {
    model_options m;
    m.N = 300;
    m.P = 3;
    m.P_star = 2;
    m.init_scale = 0.2;
    m.seed = 17;
    m.second_layer = second_layer_init::inv_sqrt_p;
    return m;
}

TEST(ode_problem, starts_from_the_order_parameters_of_chain_0s_initial_weights) {
    const model_options m = small_model();
    training_options t;
    t.lr = 0.7;
    t.lr_v = 0.2;
    t.noise = 0.1;
    t.weight_decay = 1e-5;
    const ode_problem p = problem_from_options(m, t, true);
    const order_parameter_values o = order_parameters_of(draw_initial_weights(m, 0));
    EXPECT_EQ(p.initial.Q.a, o.Q);
    EXPECT_EQ(p.initial.R.a, o.R);
    EXPECT_EQ(p.initial.T.a, o.T);
    EXPECT_EQ(p.initial.v, std::vector<double>(3, 1 / std::sqrt(3.0)));
    EXPECT_EQ(p.initial.v_star, std::vector<double>(2, 1.0));
    EXPECT_NE(p.initial.R.a, order_parameters_of(draw_initial_weights(m, 1)).R);  // chain 1 differs
    EXPECT_EQ(p.kind, flow_kind::erf);
    EXPECT_EQ(p.params.eta, 0.7);
    EXPECT_EQ(p.params.eta_v, 0.2);
    EXPECT_EQ(p.params.sigma, 0.1);
    EXPECT_EQ(p.params.weight_decay, 1e-5);
    EXPECT_EQ(p.params.N, 300);
    EXPECT_TRUE(p.params.drift_only);
    EXPECT_FALSE(p.params.train_v);
}

TEST(ode_problem, refuses_activations_without_odes) {
    model_options m = small_model();
    training_options t;
    m.act = m.teacher_act = activation_id::relu;
    EXPECT_THROW(problem_from_options(m, t, false), usage_error);
    m.act = activation_id::erf;
    m.teacher_act = activation_id::quadratic;
    try {
        problem_from_options(m, t, false);
        FAIL() << "no usage_error";
    } catch (const usage_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--teacher-act quadratic: ", 0), 0u) << e.what();
    }
    m.act = m.teacher_act = activation_id::quadratic;
    EXPECT_EQ(problem_from_options(m, t, false).kind, flow_kind::quadratic);
}

TEST(ode_problem, solve_reports_every_time_with_eps_g_of_the_state) {
    model_options m = small_model();
    m.train_v = true;
    training_options t;
    t.t_max = 5;
    const ode_problem p = problem_from_options(m, t, false);
    const std::vector<double> times = report_times(t.t_max, m.N, 10);
    const ode_solution s = solve(p, times, {});
    ASSERT_EQ(s.reports.size(), times.size());
    EXPECT_EQ(s.reports.front().state.Q.a, p.initial.Q.a);  // t = 0 is the start itself
    for (std::size_t i = 0; i < times.size(); ++i) {
        EXPECT_EQ(s.reports[i].t, times[i]);
        EXPECT_EQ(s.reports[i].eps_g, eps_g_erf(s.reports[i].state));
    }
    EXPECT_LT(s.reports.back().eps_g, s.reports.front().eps_g);
    EXPECT_NE(s.reports.back().state.v, p.initial.v);  // the second layer trained
}

}  // namespace
