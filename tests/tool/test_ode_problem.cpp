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

#include <unistd.h>

#include "tool/npy/npy.hpp"
#include "tool/ode/init_from.hpp"

namespace {

// --init-from: the weights train would save give the problem --seed gives, bit for bit.
TEST(ode_problem, init_from_reads_back_the_problem_of_the_seed) {
    const model_options m = small_model();
    const initial_weights w = draw_initial_weights(m, 0);
    char tmpl[] = "/tmp/twolayer-init-from-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const std::string dir = tmpl;
    namespace npy = twolayer::tool::npy;
    const auto sz = [](long n) { return std::size_t(n); };
    npy::write_file(dir + "/W.npy", {sz(w.P), sz(w.N)}, w.W.data(), npy::dtype::float64, "test");
    npy::write_file(dir + "/v.npy", {sz(w.P)}, w.v.data(), npy::dtype::float64, "test");
    npy::write_file(dir + "/W_star.npy", {sz(w.P_star), sz(w.N)}, w.W_star.data(), npy::dtype::float64, "test");
    npy::write_file(dir + "/v_star.npy", {sz(w.P_star)}, w.v_star.data(), npy::dtype::float64, "test");
    const initial_weights r = read_initial_weights(dir);
    training_options t;
    model_options other = m;  // sizes come from the files
    other.N = 7;
    other.P = 1;
    const ode_problem a = problem_from_options(m, t, false), b = problem_from_weights(r, other, t, false);
    EXPECT_EQ(a.initial.Q.a, b.initial.Q.a);
    EXPECT_EQ(a.initial.R.a, b.initial.R.a);
    EXPECT_EQ(a.initial.T.a, b.initial.T.a);
    EXPECT_EQ(a.initial.v, b.initial.v);
    EXPECT_EQ(b.params.N, 300);
    EXPECT_THROW(check_sizes_agree(r, other, true, false, false), usage_error);
    EXPECT_NO_THROW(check_sizes_agree(r, other, false, false, false));
    EXPECT_NO_THROW(check_sizes_agree(r, m, true, true, true));
    // a v of the wrong length is refused, naming the option
    npy::write_file(dir + "/v.npy", {sz(w.P + 1)}, std::vector<double>(sz(w.P + 1), 1.0).data(), npy::dtype::float64, "test");
    try {
        read_initial_weights(dir);
        ADD_FAILURE() << "no usage_error";
    } catch (const usage_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--init-from " + dir + "/v.npy: ", 0), 0u) << e.what();
    }
    for (const char* f : {"W.npy", "v.npy", "W_star.npy", "v_star.npy"}) std::remove((dir + "/" + f).c_str());
    ::rmdir(dir.c_str());
}

}  // namespace
