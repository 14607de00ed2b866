// Full-batch gradient descent and mini-batch SGD over a fixed-size dataset. The gradient is the
// mean over the batch; the update is checked whole before any weight is written.
#pragma once
#include "twolayer/model/loss.hpp"
#include "twolayer/train/dataset.hpp"
#include "twolayer/train/gradients.hpp"
#include "twolayer/train/guard.hpp"

namespace twolayer {

// Stateless core, on views: usable with any storage. gd_trainer below owns its gradients.
template <class T, class Loss = squared_loss>
struct batch_step {
    train_config<T> config{};
    Loss loss{};

    // One step on the samples idx(0) .. idx(count - 1).
    template <index_t N, index_t P, class Act, index_t M, index_t DN, index_t GN, index_t GP,
              class IndexFn, class Arch = arch::default_arch>
    step_result<T> run(const network_ref<T, N, P, Act>& net, const dataset_ref<T, M, DN>& data,
                       const gradients_ref<T, GN, GP>& grads, index_t count, IndexFn idx,
                       std::uint64_t step_number, Arch arch = {}) const {
        step_result<T> r;
        auto fail = [&r](step_status s) { r.status = s; return r; };
        if (!guard::config_ok(config)) return fail(step_status::bad_config);
        if (count == 0) return fail(step_status::empty_batch);
        grads.zero();
        accum_t<T> loss_sum(0);
        for (index_t i = 0; i < count; ++i) {
            const index_t mu = idx(i);
            r.sample = mu;
            vec_view<const T, DN> x = data.sample(mu);
            if (!guard::scan(x).finite) return fail(step_status::nonfinite_input);
            if (!math::isfinite(data.y[mu])) return fail(step_status::nonfinite_label);
            const T yhat = forward(net, x, arch);
            const T dl = loss.deriv(yhat, data.y[mu]);
            if (!math::isfinite(yhat) || !math::isfinite(dl)) return fail(step_status::nonfinite_output);
            loss_sum += loss.value(yhat, data.y[mu]);
            accumulate_gradients(net, x, dl, grads, arch);
        }
        r.sample = 0;
        r.loss = T(loss_sum / accum_t<T>(count));

        const T s = config.schedule ? config.schedule(step_number, config.schedule_ctx) : T(1);
        if (!guard::rate_ok(s)) return fail(step_status::bad_config);
        const T per_n = config.scaling == lr_scaling::teacher_student ? T(1) / T(net.inputs()) : T(1);
        const T mean = T(1) / T(count);
        const T lr_w = config.lr_w * s, lr_v = config.lr_v * s * per_n, lr_b = config.lr_b * s * per_n;
        // theta' = decay theta + alpha grad_sum  (decay = 1 - lr wd, alpha = -lr / count)
        const param_update w{config.train_w, -lr_w * mean, T(1) - lr_w * config.weight_decay_w};
        const param_update v{config.train_v, -lr_v * mean, T(1) - lr_v * config.weight_decay_v};
        const param_update hb{config.train_b && net.head->hidden_bias, -lr_b * mean, T(1)};
        const param_update ob{config.train_b && net.head->output_bias_on, -lr_b * mean, T(1)};
        const guard::limits<T> lim(config);

        T w_max(0);
        step_status st = check(w, net.W.flat(), grads.dW.flat(), lim, &w_max);
        if (st == step_status::ok) st = check(v, net.v, grads.dv, lim, nullptr);
        if (st == step_status::ok) st = check(hb, net.b, grads.db, lim, nullptr);
        if (st == step_status::ok) st = check(ob, vec_view<T, 1>(&net.head->output_bias, 1),
                                                vec_view<T, 1>(grads.dc, 1), lim, nullptr);
        if (st != step_status::ok) return fail(st);

        apply(w, net.W.flat(), grads.dW.flat());
        apply(v, net.v, grads.dv);
        apply(hb, net.b, grads.db);
        apply(ob, vec_view<T, 1>(&net.head->output_bias, 1), vec_view<T, 1>(grads.dc, 1));
        if (w.on) net.head->w_absmax_bound = w_max * (T(1) + T(8 * format_traits<T>::resolution));
        return r;
    }

private:
    struct param_update {
        bool on;
        T alpha;
        T decay;
    };

    template <index_t E1, index_t E2>
    static step_status check(const param_update& u, vec_view<T, E1> p, vec_view<T, E2> g, const guard::limits<T>& lim,
                             T* absmax) {
        if (!u.on) return step_status::ok;
        if (!math::isfinite(u.alpha) || !math::isfinite(u.decay)) return step_status::nonfinite_update;
        for (index_t i = 0; i < p.size(); ++i) {
            const T val = guard::updated(p[i], u.alpha * g[i], u.decay);
            if (!lim.ok(val)) return lim.reason(val);
            if (absmax && math::abs(val) > *absmax) *absmax = math::abs(val);
        }
        return step_status::ok;
    }

    template <index_t E1, index_t E2>
    static void apply(const param_update& u, vec_view<T, E1> p, vec_view<T, E2> g) {
        if (!u.on) return;
        for (index_t i = 0; i < p.size(); ++i) p[i] = guard::updated(p[i], u.alpha * g[i], u.decay);
    }
};

// Full-batch GD and mini-batch SGD with gradient storage in the object.
template <class T, index_t N, index_t P, class Loss = squared_loss>
class gd_trainer {
public:
    batch_step<T, Loss> core{};

    gd_trainer() = default;
    explicit gd_trainer(const train_config<T>& c, Loss l = Loss{}) : core{c, l} {}

    train_config<T>& config() { return core.config; }
    std::uint64_t steps() const { return steps_; }
    std::uint64_t rejected() const { return rejected_; }

    // One GD step on the whole dataset.
    template <class Net, index_t M, class Arch = arch::default_arch>
    step_result<T> full_batch(Net&& net, const dataset_ref<T, M, N>& data, Arch a = {}) {
        return count(core.run(to_ref(net), data, grads_.ref(), data.samples(),
                              [](index_t i) { return i; }, steps_, a));
    }

    // One SGD step on samples first, first+1, ... (count of them, wrapping around the end).
    template <class Net, index_t M, class Arch = arch::default_arch>
    step_result<T> minibatch(Net&& net, const dataset_ref<T, M, N>& data, index_t first, index_t count_,
                             Arch a = {}) {
        const index_t m = data.samples();
        return count(core.run(to_ref(net), data, grads_.ref(), count_,
                              [first, m](index_t i) { return (first + i) % m; }, steps_, a));
    }

    // One SGD step on the given sample indices (any sampling scheme the caller likes).
    template <class Net, index_t M, class Arch = arch::default_arch>
    step_result<T> on_indices(Net&& net, const dataset_ref<T, M, N>& data, const index_t* idx,
                              index_t count_, Arch a = {}) {
        return count(core.run(to_ref(net), data, grads_.ref(), count_,
                              [idx](index_t i) { return idx[i]; }, steps_, a));
    }

    const gradients<T, N, P>& last_gradients() const { return grads_; }

private:
    gradients<T, N, P> grads_{};
    std::uint64_t steps_ = 0;
    std::uint64_t rejected_ = 0;

    step_result<T> count(step_result<T> r) {
        if (r.ok()) ++steps_; else ++rejected_;
        return r;
    }
};

// Mean loss of the network over a dataset (no update).
template <class T, index_t N, index_t P, class Act, index_t M, index_t DN, class Loss = squared_loss,
          class Arch = arch::default_arch>
T mean_loss(const network_ref<T, N, P, Act>& net, const dataset_ref<T, M, DN>& data, Loss loss = {},
            Arch arch = {}) {
    accum_t<T> s(0);
    for (index_t mu = 0; mu < data.samples(); ++mu)
        s += loss.value(forward(net, data.sample(mu), arch), data.y[mu]);
    return T(s / accum_t<T>(data.samples()));
}

}  // namespace twolayer
