// Last-layer retraining by guarded full-batch GD (train/readout.hpp says more): the batch
// trainer's step with every first-layer group switched off.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "twolayer/model/dataset.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/train/batch_gd.hpp"
#include "twolayer/train/readout_network.hpp"
#include "twolayer/train/rounding.hpp"

namespace twolayer {

// Full-batch GD of the readout on the mean weighted squared loss, for networks of format F with N
// inputs and P hidden units: gd_trainer's step (the same order of checks, guard, rounding and
// counters) with W and the hidden biases out of the plan whatever config says, so the first
// layer is only read. config.train_v and train_b (here: the output bias alone) choose what is
// fitted; the default config uses lr_scaling::plain. Like gd_trainer it keeps the gradient sums
// of every parameter in the object (the first layer's are computed and discarded: the price of
// reusing the batch pass; readout_ridge needs none).
template <class F, index_t N, index_t P, class Rounding = round_nearest>
class readout_gd {
    using S = storage_t<F>;
    using C = compute_t<F>;
    template <class A>
    using if_arch = std::enable_if_t<std::is_base_of<kernels::scalar, A>::value, int>;
    static train_config<C> readout_config() {
        train_config<C> c;
        c.train_w = false;
        c.scaling = lr_scaling::plain;
        return c;
    }

public:
    train_config<C> config = readout_config();  // lr_v, lr_b, weight_decay_v, weight_limit, schedule
    weighted_squared_loss<C> loss{};            // the class weights
    Rounding rounding{};

    // The class weights (default 1 and 1: the plain squared loss).
    readout_gd() = default;
    explicit readout_gd(const weighted_squared_loss<C>& l) : loss(l) {}

    std::uint64_t steps() const { return steps_; }        // accepted steps
    std::uint64_t rejected() const { return rejected_; }  // refused steps

    // One guarded GD step of the readout on the whole dataset (net: a network, a network_ref or a
    // readout_network of format F; data: a dataset or dataset_ref of storage_t<F>). Checks, in
    // gd_trainer's order, writing nothing on a failure: an empty dataset, sizes, alignment, the
    // settings, every sample and label and output, the schedule, the update of v and c.
    template <class Net, class D, class Arch = arch::default_arch,
              std::enable_if_t<is_readout_target_v<Net> && is_dataset_v<D>, int> = 0, if_arch<Arch> = 0>
    step_result<C> step(Net&& network_, const D& data_, Arch arch = {}) {
        using R = decltype(detail::readout_ref(network_));
        static_assert(std::is_same<typename R::format, F>::value, "readout_gd<F, ...>: the network's format is not F");
        using step_t = batch_step<F>;
        const R net = detail::readout_ref(network_);
        const auto& data = to_ref(data_);
        step_result<C> r;
        const index_t m = data.samples();
        if (m == 0) return counted(failed(r, step_status::empty_batch));
        if (!net.sizes_agree() || net.inputs() != N || net.hidden() != P || !data.sizes_agree() ||
            data.inputs() != net.inputs())
            return counted(failed(r, step_status::size_mismatch));
        if (!net.aligned() || !data.aligned()) return counted(failed(r, step_status::misaligned_buffer));
        if (!guard::config_ok(config)) return counted(failed(r, step_status::bad_config));
        r = step_t::accumulate(net, data, m, [](index_t i) { return i; }, loss, grads_.ref(), arch);
        if (!r) return counted(r);
        const C s = config.schedule ? config.schedule(steps_, config.schedule_ctx) : C(1);
        if (!guard::rate_ok(s)) return counted(failed(r, step_status::bad_config));
        typename step_t::update_plan u(config, net, m, s, rounds_to_nearest_v<Rounding>);
        u.w.on = false;   // the first layer is frozen (and may be read-only memory)
        u.hb.on = false;
        typename step_t::no_master* no_master = nullptr;
        C w_max(0);
        r.status = step_t::check(u, net, no_master, grads_.ref(), w_max);
        if (!r) return counted(r);
        step_t::write(u, net, no_master, grads_.ref(), rounding, w_max);
        return counted(r);
    }

private:
    gradients<C, N, P> grads_{};
    std::uint64_t steps_ = 0, rejected_ = 0;
    static step_result<C> failed(step_result<C> r, step_status s) {
        r.status = s;
        return r;
    }
    step_result<C> counted(step_result<C> r) {
        if (r.ok()) ++steps_; else ++rejected_;
        return r;
    }
};

}  // namespace twolayer
