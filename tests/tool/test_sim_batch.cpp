// The batch chain (the library's batch_step pieces on run-time-sized views) against the library's
// own gd_trainer on static sizes, from the same initial weights and dataset: the same bits after
// full-batch steps and after mini-batch steps that wrap around the dataset.
#include <gtest/gtest.h>

#include "sim_test_util.hpp"
#include "twolayer/teacher/gaussian_block.hpp"
#include "twolayer/train/batch_gd.hpp"

namespace {

using namespace tl_sim_test;

constexpr index_t N = 24, P = 4, PT = 2, M = 30;
constexpr long job = 1;
constexpr std::uint64_t steps = 12;

// gd_trainer on a dataset drawn as a user would: x in the compute type from stream `dataset`,
// stored in the format; labels from the double teacher (+ noise), stored in the format.
template <class F, class Rounding, bool Master>
void reference_gd(const train_settings& s, Rounding rounding, std::vector<double>& W, std::vector<double>& v) {
    using C = compute_t<F>;
    using S = storage_t<F>;
    const initial_weights w0 = draw_initial_weights(s.model, job);
    network<F, N, P, act::erf> student;
    load(student, w0.W, w0.v);
    network<double, N, PT, act::erf> teacher;
    load(teacher, w0.W_star, w0.v_star);
    master_weights<F, N, P> master(student);
    static dataset<S, M, N> data;
    gaussian_block<C> xs(s.model.seed, stream_of(job, job_stream::dataset));
    gaussian_block<double> noise(s.model.seed, stream_of(job, job_stream::noise));
    C xc[N];
    double xd[N];
    for (index_t mu = 0; mu < M; ++mu) {
        xs.fill(xc, N);
        for (index_t j = 0; j < N; ++j) {
            data.sample(mu)[j] = store_as<F>(xc[j]);
            xd[j] = double(xc[j]);
        }
        data.y[mu] = convert_value<F>(teacher.forward(xd) + s.training.noise * noise.gaussian());
    }
    gd_trainer<F, N, P, squared_loss, Rounding> gd(reference_config<C>(s), squared_loss{}, rounding);
    const index_t B = index_t(s.batch);
    for (std::uint64_t t = 0; t < steps; ++t) {
        step_result<C> r;
        const index_t first = index_t((t * B) % M);
        if constexpr (Master) r = B == 0 ? gd.full_batch(student, master, data) : gd.minibatch(student, master, data, first, B);
        else r = B == 0 ? gd.full_batch(student, data) : gd.minibatch(student, data, first, B);
        ASSERT_TRUE(r.ok()) << "reference step " << t << ": " << to_string(r.status);
    }
    weights_of(student, W, v);
}

train_settings settings_for(const std::string& format, long batch) {
    train_settings s = small_settings(N, P, PT, format);
    s.samples = M;
    s.batch = batch;
    s.model.train_v = true;
    s.training.noise = 0.1;
    return s;
}

void expect_chain_equals(const train_settings& s, const std::vector<double>& W, const std::vector<double>& v) {
    chain_under_test t(s, job);
    const advance_result a = t.c->advance(5), b = t.c->advance(steps - 5);
    ASSERT_EQ(a.status, step_status::ok);
    ASSERT_EQ(b.status, step_status::ok);
    ASSERT_EQ(a.done + b.done, steps);
    std::vector<double> cW, cv;
    t.c->student_weights(cW, cv);
    EXPECT_FALSE(same_bits(cW, t.start.W)) << "the steps did not move W: the comparison would prove nothing";
    EXPECT_TRUE(same_bits(cW, W)) << "W differs from gd_trainer's";
    EXPECT_TRUE(same_bits(cv, v)) << "v differs from gd_trainer's";
    EXPECT_TRUE(std::isfinite(t.c->dataset_loss()));
}

TEST(BatchChain, FullBatchDoubleEqualsGdTrainer) {
    const train_settings s = settings_for("double", 0);
    std::vector<double> W, v;
    reference_gd<double, round_nearest, false>(s, {}, W, v);
    expect_chain_equals(s, W, v);
}

TEST(BatchChain, MinibatchFloatWrapsAsGdTrainer) {
    const train_settings s = settings_for("float", 7);  // 7 does not divide 30: batches wrap
    std::vector<double> W, v;
    reference_gd<float, round_nearest, false>(s, {}, W, v);
    expect_chain_equals(s, W, v);
}

TEST(BatchChain, MinibatchF16StochasticEqualsGdTrainer) {
    train_settings s = settings_for("f16", 8);
    s.rounding = rounding_mode::stochastic;
    std::vector<double> W, v;
    reference_gd<f16, stochastic_rounding, false>(s, stochastic_rounding(s.model.seed, stream_of(job, job_stream::rounding)), W, v);
    expect_chain_equals(s, W, v);
}

TEST(BatchChain, FullBatchQ3_12MasterEqualsGdTrainer) {
    train_settings s = settings_for("q3_12", 0);
    s.master = true;
    std::vector<double> W, v;
    reference_gd<q3_12, round_nearest, true>(s, {}, W, v);
    expect_chain_equals(s, W, v);
}

}  // namespace
