// One-pass online SGD: one fresh sample, one guarded update of every trained parameter.
#pragma once
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/train/guard.hpp"

namespace twolayer {

template <class T, class Loss = squared_loss>
class online_sgd {
public:
    train_config<T> config{};
    Loss loss{};

    online_sgd() = default;
    explicit online_sgd(const train_config<T>& c, Loss l = Loss{}) : config(c), loss(l) {}

    std::uint64_t steps() const { return steps_; }        // accepted steps
    std::uint64_t rejected() const { return rejected_; }  // steps refused by the guard
    step_status last_status() const { return last_; }

    // One step on sample (x, y). Net: a network or a network_ref (static or dynamic sizes).
    template <class Net, index_t EX, class Arch = arch::default_arch>
    step_result<T> step(Net&& net, vec_view<const T, EX> x, T y, Arch arch = {}) {
        step_result<T> r = try_step(to_ref(net), x, y, arch);
        last_ = r.status;
        if (r.ok()) ++steps_; else ++rejected_;
        return r;
    }

private:
    std::uint64_t steps_ = 0;
    std::uint64_t rejected_ = 0;
    step_status last_ = step_status::ok;

    template <index_t N, index_t P, class Act, index_t EX, class Arch>
    step_result<T> try_step(const network_ref<T, N, P, Act>& net, vec_view<const T, EX> x, T y,
                            Arch arch) {
        step_result<T> r;
        auto fail = [&r](step_status s) { r.status = s; return r; };
        if (!guard::config_ok(config)) return fail(step_status::bad_config);
        const guard::scan_result<T> xs = guard::scan(x);
        if (!xs.finite) return fail(step_status::nonfinite_input);
        if (!math::isfinite(y)) return fail(step_status::nonfinite_label);

        const T yhat = forward(net, x, arch);
        r.loss = loss.value(yhat, y);
        const T err = loss.deriv(yhat, y);
        if (!math::isfinite(yhat) || !math::isfinite(err)) return fail(step_status::nonfinite_output);
        backward_signal(net);

        const T s = config.schedule ? config.schedule(steps_, config.schedule_ctx) : T(1);
        if (!guard::rate_ok(s)) return fail(step_status::bad_config);
        const T per_n = config.scaling == lr_scaling::teacher_student ? T(1) / T(net.inputs()) : T(1);
        const T lr_w = config.lr_w * s;
        const T lr_v = config.lr_v * s * per_n;
        const T lr_b = config.lr_b * s * per_n;
        const guard::limits<T> lim(config);

        // Updates, in the form decay * w + step of guard::updated:
        //   W_k: decay_w W_k + (alpha_w delta_k) x,   v_k: decay_v v_k + (-lr_v err) g_k,
        //   b_k: b_k + (-lr_b err) delta_k,           c: c + (-lr_b err).
        const bool do_w = config.train_w;
        const bool do_v = config.train_v;
        const bool do_hb = config.train_b && net.head->hidden_bias;
        const bool do_ob = config.train_b && net.head->output_bias_on;
        const T alpha_w = -lr_w * err * inv_sqrt<T>(net.inputs());
        const T decay_w = T(1) - lr_w * config.weight_decay_w;
        const T alpha_v = -lr_v * err;
        const T decay_v = T(1) - lr_v * config.weight_decay_v;
        const T alpha_b = -lr_b * err;

        T w_bound = T(0);
        if (do_w) {
            const step_status st = check_first_layer(net, x, xs.absmax, alpha_w, decay_w, lim, w_bound);
            if (st != step_status::ok) return fail(st);
        }
        for (index_t k = 0; k < net.hidden(); ++k) {
            const T v_new = guard::updated(net.v[k], alpha_v * net.g[k], decay_v);
            if (do_v && !lim.ok(v_new)) return fail(lim.reason(v_new));
            const T b_new = guard::updated(net.b[k], alpha_b * net.delta[k], T(1));
            if (do_hb && !lim.ok(b_new)) return fail(lim.reason(b_new));
        }
        const T c_new = guard::updated(net.head->output_bias, alpha_b, T(1));
        if (do_ob && !lim.ok(c_new)) return fail(lim.reason(c_new));

        // Every check passed: write. delta and g are read before v changes.
        if (do_w) {
            rank1_update(net.W, vec_view<const T, P>(net.delta), x, alpha_w, decay_w, arch);
            net.head->w_absmax_bound = w_bound;
        }
        for (index_t k = 0; k < net.hidden(); ++k) {
            if (do_v) net.v[k] = guard::updated(net.v[k], alpha_v * net.g[k], decay_v);
            if (do_hb) net.b[k] = guard::updated(net.b[k], alpha_b * net.delta[k], T(1));
        }
        if (do_ob) net.head->output_bias = c_new;
        return r;
    }

    // Proves W' = decay W + alpha delta x^T finite and within the ceiling. Fast path: from the
    // stored bound on |W|, |W'| <= |decay| B + |alpha| max|delta| max|x| (times a rounding margin),
    // O(P) work. Only when that bound is too loose does it test every element, read-only.
    // On success w_bound receives a valid bound for W'.
    template <index_t N, index_t P, class Act, index_t EX>
    static step_status check_first_layer(const network_ref<T, N, P, Act>& net, vec_view<const T, EX> x,
                                         T x_absmax, T alpha, T decay, const guard::limits<T>& lim,
                                         T& w_bound) {
        T dmax(0);
        for (index_t k = 0; k < net.hidden(); ++k) {
            const T c = alpha * net.delta[k];
            if (!math::isfinite(c)) return step_status::nonfinite_update;
            if (math::abs(c) > dmax) dmax = math::abs(c);
        }
        if (!math::isfinite(decay)) return step_status::nonfinite_update;
        T bound = net.head->w_absmax_bound;
        if (!(bound >= T(0))) bound = absmax(net.W);
        const T margin = T(1) + T(8 * format_traits<T>::resolution);
        const T new_bound = (math::abs(decay) * bound + dmax * x_absmax) * margin;
        if (math::isfinite(new_bound) && new_bound <= lim.ceiling) {
            w_bound = new_bound;
            return step_status::ok;
        }
        T exact(0);
        for (index_t k = 0; k < net.hidden(); ++k) {
            const T c = alpha * net.delta[k];
            for (index_t j = 0; j < net.inputs(); ++j) {
                const T w = guard::updated(net.W(k, j), c * x[j], decay);
                if (!lim.ok(w)) return lim.reason(w);
                if (math::abs(w) > exact) exact = math::abs(w);
            }
        }
        // Optimized kernels may round differently from this check; the margin covers it.
        w_bound = exact * margin;
        return step_status::ok;
    }

    template <index_t P, index_t N>
    static T absmax(mat_view<T, P, N> W) {
        T m(0);
        for (index_t i = 0; i < W.size(); ++i)
            if (math::abs(W.data()[i]) > m) m = math::abs(W.data()[i]);
        return m;
    }
};

}  // namespace twolayer
