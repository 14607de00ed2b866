// One-pass online SGD: one fresh sample, one guarded update of every trained parameter.
//   online_sgd<F, Loss, Rounding>: F the network's format, Rounding how updated values are stored
//   in a narrow format (round_nearest or stochastic_rounding; nothing is rounded for float and
//   double). step(net, x, y) updates the network in place; step(net, master, x, y) updates a
//   master copy in the arithmetic type and stores it into the network (train/master.hpp).
//
// The fused step, step(net, x, y, x_next): the same step on (x, y), which also computes the
// pre-activations of the NEXT sample x_next under the updated weights, in the same pass over W
// (kernels: rank1_update_gemv): row k is updated and, while it is in registers, multiplied by
// x_next. The error of step t needs the whole forward pass of step t, so only the update of t can
// share a pass with the forward of t + 1: each step then reads and writes W once instead of
// reading it twice and writing it once. Use it as
//
//     sgd.step(net, x0, y0, x1);  sgd.step(net, x1, y1, x2);  sgd.step(net, x2, y2, x3); ...
//
// The pre-activations of x_next wait in the network's forward cache (net.lambda(); g() and
// output() still describe x), marked in the network's head by a fingerprint of x_next's bytes
// (guard::fingerprint). A step uses them instead of its forward pass only if they are still
// valid: its x has that fingerprint (the same values, in whatever buffer; a different or
// overwritten sample does not match), and nothing has changed W or b or overwritten the cache
// since (forward(), any trainer step, network::W_mut(), hidden_bias_mut(), use_hidden_bias() and
// network_ref::invalidate_weight_bound(), which code writing weights through a network_ref must
// call anyway, all drop them). Otherwise the step runs its forward pass as usual, so a mismatch
// costs time, never correctness; reused_forwards() counts the steps that skipped it.
// The results are the same bits as the separate step's on every arch: the fused kernel sums in
// the order of the arch's gemv (tested). A rejected step writes nothing, as always, and computes
// nothing ahead. Fused for float and double (is_native_v); other formats, and steps with a
// master copy, run the separate step and ignore x_next.
#pragma once
#include <limits>

#include "twolayer/train/rounding.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/train/guard.hpp"
#include "twolayer/train/master.hpp"
#include "twolayer/format/update_rule.hpp"

namespace twolayer {

template <class F, class Loss = squared_loss, class Rounding = round_nearest>
class online_sgd {
    using S = storage_t<F>;
    using C = compute_t<F>;
    // Arch tags derive from kernels::scalar; the constraint keeps a sample view from being taken
    // for an arch.
    template <class A>
    using is_arch = std::enable_if_t<std::is_base_of<kernels::scalar, A>::value, int>;

public:
    train_config<C> config{};
    Loss loss{};
    Rounding rounding{};

    online_sgd() = default;
    explicit online_sgd(const train_config<C>& c, Loss l = Loss{}, Rounding r = Rounding{})
        : config(c), loss(l), rounding(r) {}

    std::uint64_t steps() const { return steps_; }        // accepted steps
    std::uint64_t rejected() const { return rejected_; }  // steps refused by the guard
    // steps that took their pre-activations from the previous fused step instead of a forward pass
    std::uint64_t reused_forwards() const { return reused_; }
    step_status last_status() const { return last_; }

    // One step on sample (x, y). Net: a network or a network_ref (static or dynamic sizes).
    template <class Net, index_t EX, class Arch = arch::default_arch, is_arch<Arch> = 0>
    step_result<C> step(Net&& net, vec_view<const S, EX> x, C y, Arch arch = {}) {
        return count(try_step(to_ref(net), static_cast<no_master*>(nullptr), x, y, no_next_ptr(), arch));
    }

    // The fused step (see the top of this file): the step on (x, y), and the pre-activations of
    // the next step's sample x_next computed in the same pass over W.
    template <class Net, index_t EX, index_t EXN, class Arch = arch::default_arch, is_arch<Arch> = 0>
    step_result<C> step(Net&& net, vec_view<const S, EX> x, C y, vec_view<const S, EXN> x_next, Arch arch = {}) {
        static_assert(EX == dynamic_extent || EXN == dynamic_extent || EX == EXN,
                      "online_sgd::step: x and x_next have different sizes");
        return count(try_step(to_ref(net), static_cast<no_master*>(nullptr), x, y, &x_next, arch));
    }

    // The same with a master copy: the update goes to the master, which is then stored.
    template <class Net, index_t MN, index_t MP, index_t EX, class Arch = arch::default_arch, is_arch<Arch> = 0>
    step_result<C> step(Net&& net, master_ref<C, MN, MP> master, vec_view<const S, EX> x, C y, Arch arch = {}) {
        return count(try_step(to_ref(net), &master, x, y, no_next_ptr(), arch));
    }

private:
    // Above this many hidden units the second-layer buffer (2 P values) stays off the stack.
    static constexpr index_t max_buffered_p = 256;
    template <index_t P, bool On>
    struct second_layer_buffer {};
    template <index_t P>
    struct second_layer_buffer<P, true> {
        C v[P], b[P];
    };

    // Every value finite and within the ceiling: one scan for the largest magnitude. A NaN or an
    // infinity fails the scan; the reason is then found by the per-value test.
    template <index_t E>
    static step_status check_all(vec_view<const C, E> values, const guard::limits<F>& lim) {
        const guard::scan_result<C> r = guard::scan<C>(values);
        if (r.finite && lim.ok(r.absmax)) return step_status::ok;
        for (index_t k = 0; k < values.size(); ++k)
            if (!lim.ok(values[k])) return lim.reason(values[k]);
        return step_status::ok;  // not reached: some value failed
    }

    struct no_master {};
    struct no_next {};
    static no_next* no_next_ptr() { return nullptr; }
    std::uint64_t steps_ = 0;
    std::uint64_t rejected_ = 0;
    std::uint64_t reused_ = 0;
    step_status last_ = step_status::ok;

    step_result<C> count(step_result<C> r) {
        last_ = r.status;
        if (r.ok()) ++steps_; else ++rejected_;
        return r;
    }

    // M: master_ref<C, ...>, or no_master (then master is null and its code is not compiled).
    // Next: vec_view<const S, ...> of the next sample (fused step), or no_next (next is null).
    template <index_t N, index_t P, class Act, class M, index_t EX, class Next, class Arch>
    step_result<C> try_step(const network_ref<F, N, P, Act>& net, M* master, vec_view<const S, EX> x, C y,
                            const Next* next, Arch arch) {
        constexpr bool has_master = !std::is_same<M, no_master>::value;
        constexpr bool fused = !std::is_same<Next, no_next>::value && is_native_v<F> && !has_master;
        step_result<C> r;
        // Pre-activations computed ahead serve this step at most: every step consumes the mark.
        const bool ahead = net.head->lambda_ahead;
        net.head->lambda_ahead = false;
        auto fail = [&r](step_status s) { r.status = s; return r; };
        if (!guard::config_ok(config)) return fail(step_status::bad_config);
        const guard::scan_result<C> xs = guard::scan<F>(x);
        if (!xs.finite) return fail(step_status::nonfinite_input);
        if (!math::isfinite(y)) return fail(step_status::nonfinite_label);

        bool reuse = false;
        if constexpr (fused) reuse = ahead && net.head->lambda_ahead_of == guard::fingerprint(x);
        (void)ahead;
        const C yhat = reuse ? forward_from_lambda(net, arch) : forward(net, x, arch);
        if (reuse) ++reused_;
        r.loss = loss.value(yhat, y);
        const C err = loss.deriv(yhat, y);
        if (!math::isfinite(yhat) || !math::isfinite(err)) return fail(step_status::nonfinite_output);
        backward_signal(net);

        const C s = config.schedule ? config.schedule(steps_, config.schedule_ctx) : C(1);
        if (!guard::rate_ok(s)) return fail(step_status::bad_config);
        const C per_n = config.scaling == lr_scaling::teacher_student ? C(1) / C(net.inputs()) : C(1);
        const C lr_w = config.lr_w * s;
        const C lr_v = config.lr_v * s * per_n;
        const C lr_b = config.lr_b * s * per_n;
        const guard::limits<F> lim(config);

        // Updates, in the form decay * w + step of updated:
        //   W_k: decay_w W_k + (alpha_w delta_k) x,   v_k: decay_v v_k + (-lr_v err) g_k,
        //   b_k: b_k + (-lr_b err) delta_k,           c: c + (-lr_b err).
        const bool do_w = config.train_w;
        const bool do_v = config.train_v;
        const bool do_hb = config.train_b && net.head->hidden_bias;
        const bool do_ob = config.train_b && net.head->output_bias_on;
        const C alpha_w = -lr_w * err * inv_sqrt<C>(net.inputs());
        const C decay_w = C(1) - lr_w * config.weight_decay_w;
        const C alpha_v = -lr_v * err;
        const C decay_v = C(1) - lr_v * config.weight_decay_v;
        const C alpha_b = -lr_b * err;

        // The current value of each parameter, from the master copy if there is one.
        auto v_of = [&](index_t k) -> C {
            if constexpr (has_master) return master->v[k]; else return value_of<F>(net.v[k]);
        };
        auto b_of = [&](index_t k) -> C {
            if constexpr (has_master) return master->b[k]; else return value_of<F>(net.b[k]);
        };
        C c_old;
        if constexpr (has_master) c_old = *master->c; else c_old = value_of<F>(net.head->output_bias);

        C w_bound = C(0);
        if (do_w) {
            const step_status st = check_first_layer(net, master, x, xs.absmax, alpha_w, decay_w, lim, w_bound);
            if (st != step_status::ok) return fail(st);
        }
        // The second layer and the hidden biases. Native formats with P in the type compute each
        // new value once, into a buffer on the stack, check the buffer's largest magnitude (an
        // integer scan: no compare per value) and copy it in when everything passed. Otherwise
        // each value is checked here and computed again, identically, by the write.
        constexpr bool buffered = is_native_v<F> && !has_master && P != dynamic_extent && P <= max_buffered_p;
        second_layer_buffer<P, buffered> nb;
        if constexpr (buffered) {
            for (index_t k = 0; k < P; ++k) {
                nb.v[k] = updated(value_of<F>(net.v[k]), alpha_v * net.g[k], decay_v);
                nb.b[k] = updated(value_of<F>(net.b[k]), alpha_b * net.delta[k], C(1));
            }
            if (do_v) {
                const step_status st = check_all(vec_view<const C, P>(nb.v, P), lim);
                if (st != step_status::ok) return fail(st);
            }
            if (do_hb) {
                const step_status st = check_all(vec_view<const C, P>(nb.b, P), lim);
                if (st != step_status::ok) return fail(st);
            }
        } else {
            for (index_t k = 0; k < net.hidden(); ++k) {
                const C v_new = updated(v_of(k), alpha_v * net.g[k], decay_v);
                if (do_v && !lim.ok(v_new)) return fail(lim.reason(v_new));
                const C b_new = updated(b_of(k), alpha_b * net.delta[k], C(1));
                if (do_hb && !lim.ok(b_new)) return fail(lim.reason(b_new));
            }
        }
        const C c_new = updated(c_old, alpha_b, C(1));
        if (do_ob && !lim.ok(c_new)) return fail(lim.reason(c_new));
        // Writes v and b (after W: delta and g are read before v changes).
        auto write_second_layer = [&] {
            if constexpr (buffered) {
                if (do_v) for (index_t k = 0; k < P; ++k) net.v[k] = nb.v[k];
                if (do_hb) for (index_t k = 0; k < P; ++k) net.b[k] = nb.b[k];
            } else {
                for (index_t k = 0; k < net.hidden(); ++k) {
                    if (do_v) net.v[k] = apply_update<F>(net.v[k], alpha_v * net.g[k], decay_v, rounding);
                    if (do_hb) net.b[k] = apply_update<F>(net.b[k], alpha_b * net.delta[k], C(1), rounding);
                }
            }
        };

        // Every check passed: write. delta and g are read before v changes.
        const vec_view<const C, P> delta(net.delta);
        if constexpr (has_master) {
            if (do_w) {
                rank1_update(master->W, delta, x, alpha_w, decay_w, arch);
                store_all(format_tag<F>{}, master->W.flat(), net.W.flat(), arch);
                *master->w_absmax_bound = w_bound;
                net.head->w_absmax_bound = lim.rounded_magnitude(w_bound);
            }
            for (index_t k = 0; k < net.hidden(); ++k) {
                if (do_v) net.v[k] = store_as<F>(master->v[k] = updated(master->v[k], alpha_v * net.g[k], decay_v));
                if (do_hb) net.b[k] = store_as<F>(master->b[k] = updated(master->b[k], alpha_b * net.delta[k], C(1)));
            }
            if (do_ob) net.head->output_bias = store_as<F>(*master->c = c_new);
            return r;
        } else {
            if constexpr (fused) {
                // W, v, b as below; lambda = the next sample's pre-activations under the new W, b.
                const Next& xn = *next;
                const C scale = inv_sqrt<C>(net.inputs());
                if (do_w) {
                    rank1_update_gemv(net.W, delta, x, alpha_w, decay_w, xn, net.lambda, scale, arch);
                    net.head->w_absmax_bound = w_bound;
                } else {
                    gemv(mat_view<const S, P, N>(net.W), xn, net.lambda, scale, arch);
                }
                write_second_layer();
                if (do_ob) net.head->output_bias = apply_update<F>(net.head->output_bias, alpha_b, C(1), rounding);
                add_hidden_bias(net);
                net.head->lambda_ahead_of = guard::fingerprint(xn);
                net.head->lambda_ahead = true;
                return r;
            }
            if (do_w) {
                if constexpr (is_native_v<F>) {
                    rank1_update(net.W, delta, x, alpha_w, decay_w, arch);
                } else {
                    rank1_update_stored(format_tag<F>{}, net.W, delta, x, alpha_w, decay_w, rounding, arch);
                }
                net.head->w_absmax_bound = w_bound;
            }
            write_second_layer();
            if (do_ob) net.head->output_bias = apply_update<F>(net.head->output_bias, alpha_b, C(1), rounding);
            return r;
        }
    }

    // Proves W' = decay W + alpha delta x^T finite and within the ceiling (W: the master copy if
    // any, else the stored weights). Fast path: from the stored bound on |W|,
    // |W'| <= |decay| B + |alpha| max|delta| max|x| (times a rounding margin, plus two steps of a
    // fixed format), O(P) work. Only when that bound is too loose does it test every element,
    // read-only. On success w_bound receives a valid bound for W'.
    template <index_t N, index_t P, class Act, class M, index_t EX>
    static step_status check_first_layer(const network_ref<F, N, P, Act>& net, M* master, vec_view<const S, EX> x,
                                         C x_absmax, C alpha, C decay, const guard::limits<F>& lim, C& w_bound) {
        // max_k |alpha delta_k| = |alpha| max_k |delta_k| exactly (rounding is monotone), and it is
        // finite exactly when every alpha delta_k is: one scan of delta and one multiply.
        const guard::scan_result<C> ds = guard::scan<C>(vec_view<const C, P>(net.delta));
        const C dmax = math::abs(alpha) * ds.absmax;
        if (!ds.finite || !math::isfinite(dmax)) return step_status::nonfinite_update;
        if (!math::isfinite(decay)) return step_status::nonfinite_update;
        constexpr bool has_master = !std::is_same<M, no_master>::value;
        auto w_of = [&](index_t k, index_t j) -> C {
            if constexpr (has_master) return master->W(k, j); else return value_of<F>(net.W(k, j));
        };
        C bound;
        if constexpr (has_master) bound = *master->w_absmax_bound; else bound = net.head->w_absmax_bound;
        if (!(bound >= C(0))) {
            if constexpr (has_master || is_native_v<F>) {
                // W is held in C (the master copy, or a float/double network): the guard's scan
                // over all of it (LDM and integer compares on the Cortex-M). A weight that is not
                // finite makes the bound infinite: the exact test below names it.
                const C* w;
                if constexpr (has_master) w = master->W.data(); else w = net.W.data();
                const guard::scan_result<C> ws = guard::scan<C>(vec_view<const C>(w, net.W.size()));
                bound = ws.finite ? ws.absmax : std::numeric_limits<C>::infinity();
            } else {
                bound = C(0);
                for (index_t k = 0; k < net.hidden(); ++k)
                    for (index_t j = 0; j < net.inputs(); ++j)
                        if (math::abs(w_of(k, j)) > bound) bound = math::abs(w_of(k, j));
            }
        }
        const C margin = C(1) + C(8 * format_traits<F>::resolution);
        const C slack = C(2 * format_traits<F>::step_abs);
        const C new_bound = (math::abs(decay) * bound + dmax * x_absmax) * margin + slack;
        if (lim.ok(new_bound)) {
            w_bound = new_bound;
            return step_status::ok;
        }
        C exact(0);
        for (index_t k = 0; k < net.hidden(); ++k) {
            const C c = alpha * net.delta[k];
            for (index_t j = 0; j < net.inputs(); ++j) {
                const C w = updated(w_of(k, j), c * value_of<F>(x[j]), decay);
                if (!lim.ok(w)) return lim.reason(w);
                if (math::abs(w) > exact) exact = math::abs(w);
            }
        }
        // Optimized kernels may round differently from this check; the margin covers it.
        w_bound = exact * margin + slack;
        return step_status::ok;
    }
};

}  // namespace twolayer
