// Online (one-pass) SGD chain: one fresh sample per step from the chain's `samples` stream,
// labelled with noise from its `noise` stream, trained by the library's online_sgd on the
// dynamic-extent student. float and double take the fused step (the update of step t and the
// forward of step t + 1 in one pass over W: online_sgd.hpp), whose bits equal the separate
// step's; so each step draws the NEXT sample before it runs. Narrow formats run the separate
// step, with a master copy when asked (--master true).
#pragma once
#include <utility>

#include "twolayer/train/online_sgd.hpp"
#include "sample_source.hpp"
#include "student_chain.hpp"

namespace twolayer::tool {

/// The online chain of format F, activation Act, rounding policy Rounding, with or without a
/// master copy.
template <class F, class Act, class Rounding, bool Master>
class online_chain final : public student_chain<F, Act, Master> {
    using base = student_chain<F, Act, Master>;
    using S = storage_t<F>;
    using C = compute_t<F>;

public:
    explicit online_chain(const chain_inputs& in)
        : base(in, true),
          sgd_(config_of<C>(in.settings), squared_loss{}, rounding_of<Rounding>(in.settings, in.job)),
          source_(in.settings.model.seed, stream_of(in.job, job_stream::samples),
                  stream_of(in.job, job_stream::noise), in.settings.training.noise, in.start.N, in.teacher),
          x_(std::size_t(in.start.N)), x_next_(std::size_t(in.start.N)) {}

    advance_result advance(std::uint64_t steps) override {
        advance_result r;
        r.status = stopped_;
        if (stopped_ != step_status::ok) return r;
        if (!primed_) {
            y_ = C(source_.draw(x_.data()));
            primed_ = true;
        }
        const auto net = this->net_.ref();
        const index_t N = this->net_.inputs();
        for (; r.done < steps; ++r.done) {
            const C y_next = C(source_.draw(x_next_.data()));
            const vec_view<const S> x(x_.data(), N), x_next(x_next_.data(), N);
            step_result<C> s;
            if constexpr (Master) s = sgd_.step(net, this->master_.ref(), x, y_);
            else if constexpr (is_native_v<F>) s = sgd_.step(net, x, y_, x_next);
            else s = sgd_.step(net, x, y_);
            if (!s && !this->settings_.skip_refused) {
                r.status = stopped_ = s.status;
                return r;
            }
            if (s) r.loss_sum += double(s.loss);
            else ++r.refused;
            std::swap(x_, x_next_);
            y_ = y_next;
        }
        return r;
    }

    double dataset_loss() override { return std::numeric_limits<double>::quiet_NaN(); }

private:
    online_sgd<F, squared_loss, Rounding> sgd_;
    sample_source<F> source_;
    std::vector<S> x_, x_next_;  // this step's sample and the next one
    C y_ = C(0);
    bool primed_ = false;  // x_ holds the first sample
    step_status stopped_ = step_status::ok;
};

}  // namespace twolayer::tool
