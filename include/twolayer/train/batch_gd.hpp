// Full-batch gradient descent and mini-batch SGD over a fixed-size dataset. The gradient is the
// mean over the batch (summed in the arithmetic type); the update is checked whole before any
// weight is written, then stored with the trainer's rounding policy, or applied to a master copy
// and stored from it (as in online_sgd).
#pragma once
#include "twolayer/train/rounding.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/dataset.hpp"
#include "twolayer/train/gradients.hpp"
#include "twolayer/train/guard.hpp"
#include "twolayer/train/master.hpp"
#include "twolayer/format/update_rule.hpp"

namespace twolayer {

// Stateless core, on views: usable with any storage. gd_trainer below owns its gradients.
template <class F, class Loss = squared_loss>
struct batch_step {
    using S = storage_t<F>;
    using T = compute_t<F>;
    struct no_master {};

    train_config<T> config{};
    Loss loss{};

    // One step on the samples idx(0) .. idx(count - 1). M: master_ref<T, ...> or no_master (null).
    template <index_t N, index_t P, class Act, index_t M, index_t DN, index_t GN, index_t GP,
              class IndexFn, class Rnd, class Master = no_master, class Arch = arch::default_arch>
    step_result<T> run(const network_ref<F, N, P, Act>& net, const dataset_ref<S, M, DN>& data,
                       const gradients_ref<T, GN, GP>& grads, index_t count, IndexFn idx,
                       std::uint64_t step_number, Rnd& rnd, Master* master = nullptr, Arch arch = {}) const {
        constexpr bool has_master = !std::is_same<Master, no_master>::value;
        step_result<T> r;
        auto fail = [&r](step_status s) { r.status = s; return r; };
        if (!guard::config_ok(config)) return fail(step_status::bad_config);
        if (count == 0) return fail(step_status::empty_batch);
        net.head->lambda_ahead = false;  // pre-activations of a fused online step: this step moves W
        grads.zero();
        T loss_sum(0);
        for (index_t i = 0; i < count; ++i) {
            const index_t mu = idx(i);
            r.sample = mu;
            vec_view<const S, DN> x = data.sample(mu);
            if (!guard::scan<F>(x).finite) return fail(step_status::nonfinite_input);
            const T y = value_of<F>(data.y[mu]);
            if (!math::isfinite(y)) return fail(step_status::nonfinite_label);
            const T yhat = forward(net, x, arch);
            const T dl = loss.deriv(yhat, y);
            if (!math::isfinite(yhat) || !math::isfinite(dl)) return fail(step_status::nonfinite_output);
            loss_sum += loss.value(yhat, y);
            accumulate_gradients(net, x, dl, grads, arch);
        }
        r.sample = 0;
        r.loss = T(loss_sum / T(count));

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
        const guard::limits<F> lim(config);
        const vec_view<T, 1> dc(grads.dc, 1);

        // The parameters the update applies to: the master copy, or the network itself.
        T w_max(0);
        step_status st;
        if constexpr (has_master) {
            const vec_view<T, 1> c(master->c, 1);
            st = check(w, master->W.flat(), grads.dW.flat(), lim, &w_max);
            if (st == step_status::ok) st = check(v, master->v, grads.dv, lim, nullptr);
            if (st == step_status::ok) st = check(hb, master->b, grads.db, lim, nullptr);
            if (st == step_status::ok) st = check(ob, c, dc, lim, nullptr);
            if (st != step_status::ok) return fail(st);
            apply(w, master->W.flat(), grads.dW.flat(), rnd, net.W.flat());
            apply(v, master->v, grads.dv, rnd, net.v);
            apply(hb, master->b, grads.db, rnd, net.b);
            apply(ob, c, dc, rnd, vec_view<S, 1>(&net.head->output_bias, 1));
            if (w.on) *master->w_absmax_bound = w_max * (T(1) + T(8 * format_traits<F>::resolution));
            if (w.on) net.head->w_absmax_bound = lim.rounded_magnitude(*master->w_absmax_bound);
        } else {
            const vec_view<S, 1> c(&net.head->output_bias, 1);
            st = check(w, net.W.flat(), grads.dW.flat(), lim, &w_max);
            if (st == step_status::ok) st = check(v, net.v, grads.dv, lim, nullptr);
            if (st == step_status::ok) st = check(hb, net.b, grads.db, lim, nullptr);
            if (st == step_status::ok) st = check(ob, c, dc, lim, nullptr);
            if (st != step_status::ok) return fail(st);
            apply(w, net.W.flat(), grads.dW.flat(), rnd);
            apply(v, net.v, grads.dv, rnd);
            apply(hb, net.b, grads.db, rnd);
            apply(ob, c, dc, rnd);
            if (w.on)
                net.head->w_absmax_bound = w_max * (T(1) + T(8 * format_traits<F>::resolution)) +
                                           T(2 * format_traits<F>::step_abs);
        }
        return r;
    }

private:
    struct param_update {
        bool on;
        T alpha;
        T decay;
    };

    // p: stored parameters (P = S) or master values (P = T).
    template <class Pt, index_t E1, index_t E2>
    static step_status check(const param_update& u, vec_view<Pt, E1> p, vec_view<T, E2> g,
                             const guard::limits<F>& lim, T* absmax) {
        if (!u.on) return step_status::ok;
        if (!math::isfinite(u.alpha) || !math::isfinite(u.decay)) return step_status::nonfinite_update;
        for (index_t i = 0; i < p.size(); ++i) {
            T old;
            if constexpr (std::is_same<Pt, T>::value) old = p[i]; else old = value_of<F>(p[i]);
            const T val = updated(old, u.alpha * g[i], u.decay);
            if (!lim.ok(val)) return lim.reason(val);
            if (absmax && math::abs(val) > *absmax) *absmax = math::abs(val);
        }
        return step_status::ok;
    }

    // Stored parameters, updated in place with the rounding policy.
    template <class Rnd, index_t E1, index_t E2>
    static void apply(const param_update& u, vec_view<S, E1> p, vec_view<T, E2> g, Rnd& rnd) {
        if (!u.on) return;
        for (index_t i = 0; i < p.size(); ++i) p[i] = apply_update<F>(p[i], u.alpha * g[i], u.decay, rnd);
    }
    // Master values, updated exactly, then stored (to nearest) into the network.
    template <class Rnd, index_t E1, index_t E2, index_t E3>
    static void apply(const param_update& u, vec_view<T, E1> m, vec_view<T, E2> g, Rnd&, vec_view<S, E3> p) {
        if (!u.on) return;
        for (index_t i = 0; i < m.size(); ++i) p[i] = store_as<F>(m[i] = updated(m[i], u.alpha * g[i], u.decay));
    }
};

// Full-batch GD and mini-batch SGD with gradient storage in the object. With attach_master(),
// every step updates the master copy and stores it into the network.
template <class F, index_t N, index_t P, class Loss = squared_loss, class Rounding = round_nearest>
class gd_trainer {
    using S = storage_t<F>;
    using T = compute_t<F>;

public:
    batch_step<F, Loss> core{};
    Rounding rounding{};

    gd_trainer() = default;
    explicit gd_trainer(const train_config<T>& c, Loss l = Loss{}, Rounding r = Rounding{})
        : core{c, l}, rounding(r) {}

    train_config<T>& config() { return core.config; }
    std::uint64_t steps() const { return steps_; }
    std::uint64_t rejected() const { return rejected_; }
    void attach_master(master_ref<T, N, P> m) { master_ = m; has_master_ = true; }
    void detach_master() { has_master_ = false; }

    // One GD step on the whole dataset.
    template <class Net, index_t M, class Arch = arch::default_arch>
    step_result<T> full_batch(Net&& net, const dataset_ref<S, M, N>& data, Arch a = {}) {
        return run(to_ref(net), data, data.samples(), [](index_t i) { return i; }, a);
    }

    // One SGD step on samples first, first+1, ... (count of them, wrapping around the end).
    template <class Net, index_t M, class Arch = arch::default_arch>
    step_result<T> minibatch(Net&& net, const dataset_ref<S, M, N>& data, index_t first, index_t count_,
                             Arch a = {}) {
        const index_t m = data.samples();
        return run(to_ref(net), data, count_, [first, m](index_t i) { return (first + i) % m; }, a);
    }

    // One SGD step on the given sample indices (any sampling scheme the caller likes).
    template <class Net, index_t M, class Arch = arch::default_arch>
    step_result<T> on_indices(Net&& net, const dataset_ref<S, M, N>& data, const index_t* idx,
                              index_t count_, Arch a = {}) {
        return run(to_ref(net), data, count_, [idx](index_t i) { return idx[i]; }, a);
    }

    const gradients<T, N, P>& last_gradients() const { return grads_; }

private:
    gradients<T, N, P> grads_{};
    master_ref<T, N, P> master_{};
    bool has_master_ = false;
    std::uint64_t steps_ = 0;
    std::uint64_t rejected_ = 0;

    template <class Ref, index_t M, class IndexFn, class Arch>
    step_result<T> run(const Ref& net, const dataset_ref<S, M, N>& data, index_t count_, IndexFn idx, Arch a) {
        using none = typename batch_step<F, Loss>::no_master;
        const step_result<T> r =
            has_master_ ? core.run(net, data, grads_.ref(), count_, idx, steps_, rounding, &master_, a)
                        : core.run(net, data, grads_.ref(), count_, idx, steps_, rounding, static_cast<none*>(nullptr), a);
        if (r.ok()) ++steps_; else ++rejected_;
        return r;
    }
};

// Mean loss of the network over a dataset (no update).
template <class F, index_t N, index_t P, class Act, index_t M, index_t DN, class Loss = squared_loss,
          class Arch = arch::default_arch>
compute_t<F> mean_loss(const network_ref<F, N, P, Act>& net, const dataset_ref<storage_t<F>, M, DN>& data,
                       Loss loss = {}, Arch arch = {}) {
    using T = compute_t<F>;
    T s(0);
    for (index_t mu = 0; mu < data.samples(); ++mu)
        s += loss.value(forward(net, data.sample(mu), arch), value_of<F>(data.y[mu]));
    return T(s / T(data.samples()));
}

}  // namespace twolayer
