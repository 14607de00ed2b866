// Gradient-descent chain on a dataset of M samples drawn once (stream `dataset`, label noise from
// `noise`) or read (--data, --labels), stored in the format as the device would store it (labels
// too: storage_t<F>).
// Full batch (--batch 0) or mini-batches of B samples taken in order, wrapping around: step s
// uses samples sB, sB + 1, ... mod M (the samples are i.i.d., so the batches are random; every
// epoch repeats their order). One step is one update; t = steps / N, as online.
// gd_trainer keeps its gradient sums inside the object, which a run-time size cannot have, so
// this runs the library's batch_step pieces (batch_gd.hpp, "usable with any storage") in
// gd_trainer's order on vector-backed views: accumulate, plan, check, write.
#pragma once
#include <limits>

#include "twolayer/train/batch_gd.hpp"
#include "file_inputs.hpp"
#include "sample_source.hpp"
#include "student_chain.hpp"

namespace twolayer::tool {

/// The batch chain of format F, activation Act, rounding policy Rounding, master copy or not.
template <class F, class Act, class Rounding, bool Master>
class batch_chain final : public student_chain<F, Act, Master> {
    using base = student_chain<F, Act, Master>;
    using S = storage_t<F>;
    using C = compute_t<F>;
    using step = batch_step<F>;

public:
    explicit batch_chain(const chain_inputs& in)
        : base(in, false), config_(config_of<C>(in.settings)), rounding_(rounding_of<Rounding>(in.settings, in.job)),
          M_(index_t(in.settings.samples)), B_(index_t(in.settings.batch)), X_(std::size_t(M_ * in.start.N)),
          y_(std::size_t(M_)), dW_(std::size_t(in.start.P * in.start.N)), dv_(std::size_t(in.start.P)),
          db_(std::size_t(in.start.P)) {
        if (in.settings.read && in.settings.read->has_data()) {
            const file_inputs& f = *in.settings.read;  // --data, --labels: stored as drawn ones are
            for (std::size_t i = 0; i < X_.size(); ++i) X_[i] = format_traits<F>::from_double(f.X[i]);
            for (std::size_t mu = 0; mu < y_.size(); ++mu) y_[mu] = format_traits<F>::from_double(f.y[mu]);
            return;
        }
        sample_source<F> source(in.settings.model.seed, stream_of(in.job, job_stream::dataset),
                                stream_of(in.job, job_stream::noise), in.settings.training.noise, in.start.N,
                                in.teacher);
        for (index_t mu = 0; mu < M_; ++mu)
            y_[std::size_t(mu)] = format_traits<F>::from_double(source.draw(X_.data() + std::size_t(mu * in.start.N)));
    }

    advance_result advance(std::uint64_t steps) override {
        advance_result r;
        r.status = stopped_;
        if (stopped_ != step_status::ok) return r;
        for (; r.done < steps; ++r.done) {
            const index_t count = B_ == 0 ? M_ : B_;
            const index_t first = B_ == 0 ? 0 : index_t((steps_ * std::uint64_t(B_)) % std::uint64_t(M_));
            const step_status st = one_step(first, count);
            if (st != step_status::ok && !this->settings_.skip_refused) {
                r.status = stopped_ = st;
                return r;
            }
            if (st != step_status::ok) ++r.refused;
            ++steps_;
        }
        return r;
    }

    double dataset_loss() override { return double(mean_loss(this->net_.ref(), data())); }

private:
    dataset_ref<S, dynamic_extent, dynamic_extent> data() const {
        return {mat_view<const S>(X_.data(), M_, this->net_.inputs()), vec_view<const S>(y_.data(), M_)};
    }
    gradients_ref<C, dynamic_extent, dynamic_extent> grads() {
        return {mat_view<C>(dW_.data(), this->net_.hidden(), this->net_.inputs()), vec_view<C>(dv_.data(), this->net_.hidden()),
                vec_view<C>(db_.data(), this->net_.hidden()), &dc_};
    }

    // One guarded step on samples first, first + 1, ... (count of them, mod M), as gd_trainer::run
    // (the views are this object's own, so their sizes and alignment hold by construction).
    step_status one_step(index_t first, index_t count) {
        if (!guard::config_ok(config_)) return step_status::bad_config;
        const auto net = this->net_.ref();
        const index_t M = M_;
        const auto idx = [first, M](index_t i) { return (first + i) % M; };
        const auto g = grads();
        const step_result<C> r = step::accumulate(net, data(), count, idx, squared_loss{}, g, arch::default_arch{});
        if (!r) return r.status;
        const typename step::update_plan u(config_, net, count, C(1), Master || rounds_to_nearest_v<Rounding>);
        C w_max(0);
        if constexpr (Master) {
            auto m = this->master_.ref();
            const step_status st = step::check(u, net, &m, g, w_max);
            if (st == step_status::ok) step::write(u, net, &m, g, rounding_, w_max);
            return st;
        } else {
            typename step::no_master* none = nullptr;
            const step_status st = step::check(u, net, none, g, w_max);
            if (st == step_status::ok) step::write(u, net, none, g, rounding_, w_max);
            return st;
        }
    }

    train_config<C> config_;
    Rounding rounding_;
    index_t M_, B_;
    std::vector<S> X_, y_;          // the dataset, M x N, and its labels
    std::vector<C> dW_, dv_, db_;   // gradient sums
    C dc_ = C(0);
    std::uint64_t steps_ = 0;
    step_status stopped_ = step_status::ok;
};

}  // namespace twolayer::tool
