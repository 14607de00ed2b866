// What the online and the batch chains share: the student (a host_network of format F and
// activation Act, loaded from the chain's initial weights), its optional master copy, the
// trainer's settings and rounding, and the chain queries that do not depend on the mode.
#pragma once
#include <type_traits>

#include "twolayer/train/config.hpp"
#include "twolayer/train/rounding.hpp"
#include "chain.hpp"
#include "host_network.hpp"

namespace twolayer::tool {

/// The trainers' settings from the command line's: rates, decay, what is trained (no biases).
template <class C>
train_config<C> config_of(const train_settings& s) {
    train_config<C> c;
    c.lr_w = C(s.training.lr);
    c.lr_v = C(s.training.lr_v);
    c.train_w = true;
    c.train_v = s.model.train_v;
    c.train_b = false;
    c.weight_decay_w = C(s.training.weight_decay);
    c.weight_decay_v = C(s.training.weight_decay);
    c.scaling = lr_scaling::teacher_student;
    return c;
}

/// The rounding policy of job j: nearest, or stochastic on the job's `rounding` stream.
template <class Rounding>
Rounding rounding_of(const train_settings& s, long job) {
    if constexpr (std::is_same<Rounding, round_nearest>::value) {
        (void)s;
        (void)job;
        return {};
    } else {
        return Rounding(s.model.seed, stream_of(job, job_stream::rounding));
    }
}

/// The student side of a chain of format F, activation Act; Master: with a master copy.
template <class F, class Act, bool Master>
class student_chain : public chain {
protected:
    using S = storage_t<F>;
    using C = compute_t<F>;

    student_chain(const chain_inputs& in, bool lookahead)
        : settings_(in.settings), job_(in.job), net_(in.start.N, in.start.P, lookahead),
          master_(Master ? in.start.N : 1, Master ? in.start.P : 1), x_buf_(std::size_t(in.start.N)) {
        net_.load(in.start.W, in.start.v);
        if constexpr (Master) master_.load(net_.ref());
    }

public:
    void student_weights(std::vector<double>& W, std::vector<double>& v) const override { net_.store(W, v); }

    void student_outputs(const double* X, long count, double* out) override {
        const auto net = net_.ref();
        const index_t N = net_.inputs();
        for (long mu = 0; mu < count; ++mu) {
            const double* x = X + std::size_t(mu) * std::size_t(N);
            for (index_t j = 0; j < N; ++j) x_buf_[std::size_t(j)] = format_traits<F>::from_double(x[j]);
            out[mu] = double(forward(net, vec_view<const S>(x_buf_.data(), N)));
        }
    }

protected:
    const train_settings& settings_;
    long job_;
    host_network<F, Act> net_;
    host_master<C> master_;  // 1 x 1 and unused without Master
    std::vector<S> x_buf_;
};

}  // namespace twolayer::tool
