// The online chain against a hand-written loop on the library's static-size network and
// online_sgd, from the same initial weights and the same seed streams: the same bits after the
// first steps (float and double: the chain takes the fused step, the loop the separate one;
// q3_12 with stochastic rounding; bf16 with a master copy).
#include <gtest/gtest.h>

#include "sim_test_util.hpp"
#include "twolayer/teacher/gaussian_block.hpp"
#include "twolayer/train/online_sgd.hpp"

namespace {

using namespace tl_sim_test;

constexpr index_t N = 48, P = 3, PT = 2;
constexpr long job = 3;  // not 0: the streams of job j are stream_of(j, ...)
constexpr std::uint64_t steps = 40;

// The loop a user of the library writes: draw x in the compute type, store it in the format,
// label it with the double teacher (+ noise), one step.
template <class F, class Act, class TAct, class Rounding, bool Master>
void reference_online(const train_settings& s, Rounding rounding, std::vector<double>& W, std::vector<double>& v) {
    using C = compute_t<F>;
    using S = storage_t<F>;
    const initial_weights w0 = draw_initial_weights(s.model, job);
    network<F, N, P, Act> student;
    load(student, w0.W, w0.v);
    network<double, N, PT, TAct> teacher;
    load(teacher, w0.W_star, w0.v_star);
    master_weights<F, N, P> master(student);
    online_sgd<F, squared_loss, Rounding> sgd(reference_config<C>(s), squared_loss{}, rounding);
    gaussian_block<C> xs(s.model.seed, stream_of(job, job_stream::samples));
    gaussian_block<double> noise(s.model.seed, stream_of(job, job_stream::noise));
    C xc[N];
    S x[N];
    double xd[N];
    for (std::uint64_t t = 0; t < steps; ++t) {
        xs.fill(xc, N);
        for (index_t j = 0; j < N; ++j) {
            x[j] = store_as<F>(xc[j]);
            xd[j] = double(xc[j]);
        }
        double y = teacher.forward(xd);
        if (s.training.noise > 0) y += s.training.noise * noise.gaussian();
        step_result<C> r;
        if constexpr (Master) r = sgd.step(student, master, x, C(y));
        else r = sgd.step(student, x, C(y));
        ASSERT_TRUE(r.ok()) << "reference step " << t << ": " << to_string(r.status);
    }
    weights_of(student, W, v);
}

train_settings settings_for(const std::string& format) {
    train_settings s = small_settings(N, P, PT, format);
    s.model.train_v = true;
    s.training.lr_v = 0.3;
    s.training.noise = 0.2;
    s.training.weight_decay = 1e-3;
    return s;
}

// Runs the tool's chain for `steps` steps (in uneven pieces, as reports cut them) and compares.
void expect_chain_equals(const train_settings& s, const std::vector<double>& W, const std::vector<double>& v) {
    chain_under_test t(s, job);
    std::uint64_t done = 0;
    for (std::uint64_t piece : {1u, 6u, 33u}) {
        const advance_result r = t.c->advance(piece);
        ASSERT_EQ(r.status, step_status::ok);
        ASSERT_EQ(r.done, piece);
        done += r.done;
    }
    ASSERT_EQ(done, steps);
    std::vector<double> cW, cv;
    t.c->student_weights(cW, cv);
    EXPECT_FALSE(same_bits(cW, t.start.W)) << "the steps did not move W: the comparison would prove nothing";
    EXPECT_TRUE(same_bits(cW, W)) << "W differs from the hand-written loop";
    EXPECT_TRUE(same_bits(cv, v)) << "v differs from the hand-written loop";
}

TEST(OnlineChain, DoubleEqualsLibraryLoop) {
    const train_settings s = settings_for("double");
    std::vector<double> W, v;
    reference_online<double, act::erf, act::erf, round_nearest, false>(s, {}, W, v);
    expect_chain_equals(s, W, v);
}

TEST(OnlineChain, FloatFusedEqualsLibraryLoop) {
    train_settings s = settings_for("float");
    s.model.act = activation_id::tanh;
    s.model.teacher_act = activation_id::relu;
    std::vector<double> W, v;
    reference_online<float, act::tanh, act::relu, round_nearest, false>(s, {}, W, v);
    expect_chain_equals(s, W, v);
}

TEST(OnlineChain, Q3_12StochasticEqualsLibraryLoop) {
    train_settings s = settings_for("q3_12");
    s.rounding = rounding_mode::stochastic;
    std::vector<double> W, v;
    reference_online<q3_12, act::erf, act::erf, stochastic_rounding, false>(
        s, stochastic_rounding(s.model.seed, stream_of(job, job_stream::rounding)), W, v);
    expect_chain_equals(s, W, v);
}

TEST(OnlineChain, Bf16MasterEqualsLibraryLoop) {
    train_settings s = settings_for("bf16");
    s.master = true;
    s.model.act = s.model.teacher_act = activation_id::quadratic;
    s.training.lr = 0.05;
    std::vector<double> W, v;
    reference_online<bf16, act::quadratic, act::quadratic, round_nearest, true>(s, {}, W, v);
    expect_chain_equals(s, W, v);
}

TEST(OnlineChain, MixedDoubleEqualsLibraryLoop) {
    const train_settings s = settings_for("q4_27/double");
    std::vector<double> W, v;
    reference_online<mixed<q4_27, double>, act::erf, act::erf, round_nearest, false>(s, {}, W, v);
    expect_chain_equals(s, W, v);
}

}  // namespace
