// One-pass online SGD: one fresh sample, one guarded update of every trained parameter.
//   online_sgd<F, Loss, Rounding>: F the network's format, Rounding how updated values are stored
//   in a narrow format (round_nearest or stochastic_rounding; nothing is rounded for float and
//   double). step(net, x, y) updates the network in place; step(net, master, x, y) updates a
//   master copy in the compute type and stores it into the network (train/master.hpp).
//   net: a network or a network_ref of format F; x: a vec_view or an array of storage_t<F>;
//   master: a master_weights or a master_ref.
//
// What a step checks, in this order, before it writes anything (the first failure is the status,
// the same on every path: static or dynamic sizes, buffered or not, with a master or without):
//   1. the settings (bad_config), the sample (nonfinite_input), the label (nonfinite_label);
//   2. the output, the loss and its derivative finite (nonfinite_output: a huge finite label
//      whose loss overflows is refused, so an accepted step reports a finite loss);
//   3. every updated value, group by group: W (row by row), every v_k, every b_k, c. What "within
//      the limits" means for each format is in train/guard.hpp (guard::limits): for float and
//      double a magnitude covering every rounding a kernel may use (FMA or not, so the stored
//      |W| bound is sound for any kernel and flags); for f16/bf16 the value the rounding stores;
//      for fixed point the raw integer the write computes, exactly; for a master copy the master
//      value and the value stored from it. Refused: nonfinite_update, weight_limit_exceeded or
//      range_exceeded (guard::limits::reason).
// A product of a rate and a zero factor (zero error, a dead unit's delta_k or g_k, x_j = 0) is an
// exact 0 even when the rate overflowed (guard::mul0), so such steps are not refused; a row factor
// alpha delta_k that overflows while some x_j is not 0 is refused (nonfinite_update), even if
// x_j is subnormal and the exact product would be representable.
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
// output() still describe x); the step copies x_next into the network (network_ref::x_ahead, N
// values, kept by a lookahead_network<F, N, P, Act>, float and double only: a plain network<>
// does not pay for the copy, and the fused step on it does not compile; a hand-built
// network_ref without x_ahead computes ahead but never reuses) and marks the cache in the network's head with the
// arch that computed it (arch_id). A step uses them instead of its forward pass only if they are
// still valid: it is a fused step on the same arch tag, its x equals the copy bit for bit (the
// same values, in whatever buffer; a sample overwritten in place, even at the same address, does
// not match), and nothing has changed W or b or overwritten the cache since (forward(), any
// trainer step, network::W_mut(), hidden_bias_mut(), use_hidden_bias() and
// network_ref::weights_changed(), which code writing weights through a network_ref must call
// anyway, all drop them: network_head). The comparison is exact, not a hash: no two different
// samples match, so a mismatch costs time (the forward pass), never correctness, by construction;
// reused_forwards() counts the steps that skipped it. (Why a copy rather than an API taking the
// next sample once: the caller's buffers stay the caller's; the step never relies on a buffer
// staying unchanged between calls.)
// The results are the same bits as the separate step's on every arch: the fused kernel sums in
// the order of the arch's gemv (tested). A rejected step writes nothing, as always, and computes
// nothing ahead. Fused for float and double (is_native_v); other formats, and steps with a
// master copy, run the separate step and ignore x_next (whose size and alignment are still
// checked).
//
// What every step checks first, writing nothing when it fails: the sizes (x and x_next have
// net.inputs() values, the network_ref's views agree, a master has the network's sizes:
// step_status::size_mismatch; a static size that disagrees does not compile) and the alignment
// of every buffer for its element type (alignof(S) for samples and weights, alignof(C) for the
// cache and a master: step_status::misaligned_buffer), which is what the kernels need.
#pragma once
#include <cstring>
#include <limits>

#include "twolayer/train/rounding.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/train/guard.hpp"
#include "twolayer/train/master.hpp"
#include "twolayer/format/update_rule.hpp"

namespace twolayer {

// Online SGD for networks of format F with loss Loss (model/loss.hpp), storing updates with
// Rounding. Every step is guarded (README, "The guarded step"): it checks before it writes, and a
// refused step returns its step_status and leaves every weight as it was.
template <class F, class Loss = squared_loss, class Rounding = round_nearest>
class online_sgd {
    using S = storage_t<F>;
    using C = compute_t<F>;
    // Arch tags derive from kernels::scalar; samples are vec_views or arrays; masters are
    // master_weights or master_refs. The constraints tell the overloads of step() apart.
    template <class A>
    using if_arch = std::enable_if_t<std::is_base_of<kernels::scalar, A>::value, int>;
    template <class X>
    using if_sample = std::enable_if_t<is_vector_like_v<X>, int>;
    template <class M>
    using if_master = std::enable_if_t<is_master_v<M>, int>;

public:
    train_config<C> config{};  // rates, what is trained, decay, scaling, limit, schedule
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

    // One step on sample (x, y): the loss before the update and whether it was applied.
    template <class Net, class X, class Arch = arch::default_arch, if_sample<X> = 0, if_arch<Arch> = 0>
    step_result<C> step(Net&& net, const X& x, C y, Arch arch = {}) {
        if constexpr (accepts<Net, X>()) {
            return count(try_step(to_ref(net), no_master_ptr(), as_const_view(x), y, no_next_ptr(), arch));
        } else {
            return {};
        }
    }

    // The fused step (see the top of this file): the step on (x, y), and the pre-activations of
    // the next step's sample x_next computed in the same pass over W.
    template <class Net, class X, class XN, class Arch = arch::default_arch, if_sample<X> = 0, if_sample<XN> = 0,
              if_arch<Arch> = 0>
    step_result<C> step(Net&& net, const X& x, C y, const XN& x_next, Arch arch = {}) {
        static_assert(!detail::keeps_no_lookahead<std::decay_t<Net>>::value,
                      "online_sgd::step(net, x, y, x_next): a network<> keeps no copy of x_next, so the "
                      "pre-activations computed ahead could never be reused: train a lookahead_network<F, N, P, "
                      "Act> (N values more of RAM), or call step(net, x, y)");
        if constexpr (accepts<Net, X>() && accepts<Net, XN>()) {
            const const_view_t<XN> xn = as_const_view(x_next);
            static_assert(const_view_t<X>::extent == dynamic_extent || const_view_t<XN>::extent == dynamic_extent ||
                              const_view_t<X>::extent == const_view_t<XN>::extent,
                          "online_sgd::step: x and x_next have different sizes");
            return count(try_step(to_ref(net), no_master_ptr(), as_const_view(x), y, &xn, arch));
        } else {
            return {};
        }
    }

    // The step with a master copy (master_weights or master_ref): the update goes to the
    // master, which is then stored into the network.
    template <class Net, class M, class X, class Arch = arch::default_arch, if_master<M> = 0, if_sample<X> = 0,
              if_arch<Arch> = 0>
    step_result<C> step(Net&& net, M&& master, const X& x, C y, Arch arch = {}) {
        if constexpr (accepts<Net, X>() && accepts_master<M>()) {
            auto m = detail::master_access::views(master);  // keeps the bound the trainer maintains
            return count(try_step(to_ref(net), &m, as_const_view(x), y, no_next_ptr(), arch));
        } else {
            return {};
        }
    }

private:
    // The trainer's format against the network's and the sample's: one static_assert that says
    // which does not match (and no cascade of errors after it).
    template <class Net, class X>
    static constexpr bool accepts() {
        constexpr bool same_format = std::is_same<format_of_t<Net>, F>::value;
        static_assert(same_format,
                      "online_sgd<F>: the network's number format is not the trainer's (train network<F, ...> with "
                      "online_sgd<F>)");
        constexpr bool sample_ok = std::is_same<element_of_t<X>, S>::value;
        static_assert(!same_format || sample_ok, "online_sgd<F>: the sample's element type is not storage_t<F>");
        return same_format && sample_ok;
    }
    template <class M>
    static constexpr bool accepts_master() {
        constexpr bool ok = std::is_same<typename ref_of_master<M>::compute_type, C>::value;
        static_assert(ok, "online_sgd<F>: the master copy is not in compute_t<F>");
        return ok;
    }
    template <class M>
    using ref_of_master = std::decay_t<decltype(to_ref(std::declval<M&>()))>;

    // Above this many hidden units the second-layer buffer (2 P values) stays off the stack.
    static constexpr index_t max_buffered_p = 256;
    // Native formats with P in the type compute the new v and b once, into a buffer on the
    // stack, check the buffer and copy it in; otherwise each value is checked, then computed
    // again, identically, by the write.
    template <index_t P, bool has_master>
    static constexpr bool buffered = is_native_v<F> && !has_master && P != dynamic_extent && P <= max_buffered_p;

    struct no_master {};
    struct no_next {};
    static no_master* no_master_ptr() { return nullptr; }
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

    // The update of one step, from the error: what is trained, and each parameter's update in the
    // form decay * p + alpha * (its gradient factor):
    //   W_k: decay_w W_k + (alpha_w delta_k) x,   v_k: decay_v v_k + (alpha_v) g_k,
    //   b_k: b_k + (alpha_b) delta_k,             c: c + alpha_b.
    // Products are guard::mul0: a factor 0 (zero error, zero decay rate) gives 0 even when the
    // other overflowed, as the exact product does; otherwise the same bits as a plain product.
    struct update_plan {
        bool w, v, hb, ob;
        C alpha_w, decay_w, alpha_v, decay_v, alpha_b;

        template <class Ref>
        TWOLAYER_INLINE update_plan(const train_config<C>& config, const Ref& net, C err, C s) {
            const C per_n = config.scaling == lr_scaling::teacher_student ? C(1) / C(net.inputs()) : C(1);
            const C lr_w = config.lr_w * s;
            const C lr_v = config.lr_v * s * per_n;
            const C lr_b = config.lr_b * s * per_n;
            w = config.train_w;
            v = config.train_v;
            hb = config.train_b && net.head->hidden_bias_on();
            ob = config.train_b && net.head->output_bias_on();
            alpha_w = guard::mul0(guard::mul0(-lr_w, err), inv_sqrt<C>(net.inputs()));
            decay_w = C(1) - guard::mul0(lr_w, config.weight_decay_w);
            alpha_v = guard::mul0(-lr_v, err);
            decay_v = C(1) - guard::mul0(lr_v, config.weight_decay_v);
            alpha_b = guard::mul0(-lr_b, err);
        }
    };

    // The new v and b, computed once by the check and copied in by the write (buffered).
    template <index_t P, bool Buffered>
    struct second_layer_buffer {};
    template <index_t P>
    struct second_layer_buffer<P, true> {
        C v[P], b[P];
    };

    // One guarded step. M: master_ref<C, ...>, or no_master (master is null, its code not
    // compiled). Next: vec_view<const S, ...> of the next sample (fused step), or no_next.
    template <index_t N, index_t P, class Act, class M, index_t EX, class Next, class Arch>
    step_result<C> try_step(const network_ref<F, N, P, Act>& net, M* master, vec_view<const S, EX> x, C y,
                            const Next* next, Arch arch) {
        constexpr bool has_master = !std::is_same<M, no_master>::value;
        constexpr bool fused = !std::is_same<Next, no_next>::value && is_native_v<F> && !has_master;
        step_result<C> r;
        // 0. Sizes and alignment, before anything is touched.
        r.status = layout_status(net, master, x, next);
        if (!r) return r;
        // Pre-activations computed ahead serve this step at most, on the arch that computed them:
        // every step consumes the mark.
        const bool ahead = net.head->take_lambda_ahead(arch_id<Arch>());
        // 1. The settings, the sample and the label.
        guard::scan_result<C> xs;
        r.status = check_inputs(x, y, xs);
        if (!r) return r;
        // 2. Forward (or the pre-activations the previous fused step computed for this very x).
        bool reuse = false;
        if constexpr (fused) reuse = ahead && same_sample(net.x_ahead, x);
        (void)ahead;
        const C yhat = reuse ? forward_from_lambda(net, arch) : detail::forward_pass(net, x, arch);
        if (reuse) ++reused_;
        // 3. Loss and its derivative: the output, the loss and its derivative finite (a huge finite
        // label overflows the loss; an accepted step reports a finite loss).
        r.loss = loss.value(yhat, y);
        const C err = loss.deriv(yhat, y);
        if (!math::isfinite(yhat) || !math::isfinite(err) || !math::isfinite(r.loss))
            return failed(r, step_status::nonfinite_output);
        // 4. Backward.
        backward_signal(net);
        // 5. Check every new value.
        const C s = config.schedule ? config.schedule(steps_, config.schedule_ctx) : C(1);
        if (!guard::rate_ok(s)) return failed(r, step_status::bad_config);
        update_plan u(config, net, err, s);  // the check may set alpha_w to 0 (check_first_layer)
        // what a weight may become; master copies are always stored to nearest
        const guard::limits<F> lim(config, has_master || rounds_to_nearest_v<Rounding>);
        C w_bound(0), c_new(0);  // the checks' results the write uses: a bound on |W'|, c'
        second_layer_buffer<P, buffered<P, has_master>> buffer;  // and, buffered, v' and b'
        r.status = check_update(net, master, x, xs.absmax, u, lim, w_bound, buffer, c_new);
        if (!r) return r;
        // 6. Every check passed: write (W, then v and b, then c).
        write_first_layer(net, master, x, u, lim, w_bound, next, arch);
        write_second_layer(net, master, u, buffer);
        write_output_bias(net, master, u, c_new);
        if constexpr (fused) {
            add_hidden_bias(net);
            if (net.x_ahead.data() != nullptr) {  // the network keeps the copy to compare with
                copy(*next, net.x_ahead);
                net.head->set_lambda_ahead(arch_id<Arch>());
            }
        }
        return r;
    }

    // The buffers suit the step: x (and x_next) have net.inputs() values, the network_ref's
    // views agree, a master has the network's sizes (else size_mismatch); every buffer is
    // aligned for its element type (else misaligned_buffer). Only sizes and pointer values are
    // read.
    template <index_t N, index_t P, class Act, class M, index_t EX, class Next>
    static step_status layout_status(const network_ref<F, N, P, Act>& net, M* master, vec_view<const S, EX> x,
                                     const Next* next) {
        bool sizes = detail::sizes_fit(net, x);
        bool aligned = detail::buffers_aligned(net, x);
        if constexpr (!std::is_same<Next, no_next>::value) {
            sizes = sizes && next->size() == net.inputs();
            aligned = aligned && is_aligned(*next);
        }
        if constexpr (!std::is_same<M, no_master>::value) {
            sizes = sizes && master->sizes_agree(net);
            aligned = aligned && master->aligned();
        }
        if (!sizes) return step_status::size_mismatch;
        return aligned ? step_status::ok : step_status::misaligned_buffer;
    }

    // Whether x is, bit for bit, the sample the fused step copied (when the network keeps a
    // copy). Equal bytes are equal values, so the pre-activations computed for the copy are
    // those a forward pass on x would compute; -0 and +0 differ here, which only costs time.
    template <index_t N, index_t EX>
    static bool same_sample(vec_view<S, N> copy, vec_view<const S, EX> x) {
        return copy.data() != nullptr && std::memcmp(copy.data(), x.data(), x.size() * sizeof(S)) == 0;
    }

    static step_result<C> failed(step_result<C> r, step_status s) {
        r.status = s;
        return r;
    }

    // The settings are valid, the sample and the label finite; xs: the sample's scan (its
    // largest magnitude enters the bound on W').
    template <index_t EX>
    TWOLAYER_INLINE step_status check_inputs(vec_view<const S, EX> x, C y, guard::scan_result<C>& xs) const {
        if (!guard::config_ok(config)) return step_status::bad_config;
        xs = guard::scan<F>(x);
        if (!xs.finite) return step_status::nonfinite_input;
        if (!math::isfinite(y)) return step_status::nonfinite_label;
        return step_status::ok;
    }

    // Every updated value within the limits, read-only (guard.hpp says what is checked for each kind
    // of value), in one order on every path, static or dynamic, buffered or not, with a master or
    // without: W (row by row), then every v_k, then every b_k, then c; the status is the first
    // failure's. Gives the write what it uses: w_bound, a bound on |W'|; the buffered v' and b';
    // c_new; u.alpha_w set to 0 when the update of W is exactly decay W (check_first_layer).
    template <index_t N, index_t P, class Act, class M, index_t EX, bool B>
    TWOLAYER_INLINE static step_status check_update(const network_ref<F, N, P, Act>& net, M* master,
                                                    vec_view<const S, EX> x, C x_absmax, update_plan& u,
                                                    const guard::limits<F>& lim, C& w_bound,
                                                    second_layer_buffer<P, B>& buffer, C& c_new) {
        if (u.w) {
            const step_status st = check_first_layer(net, master, x, x_absmax, u.alpha_w, u.decay_w, lim, w_bound);
            if (st != step_status::ok) return st;
        }
        const step_status st = check_second_layer(net, master, u, lim, buffer);
        if (st != step_status::ok) return st;
        c_new = updated(output_bias_value(net, master), u.alpha_b, C(1));
        if (u.ob) return check_value(net, master, net.head->output_bias, output_bias_value(net, master), u.alpha_b,
                                     C(1), lim);
        return step_status::ok;
    }

    // One value p (stored; m its master value if there is one) updated to decay * p + step.
    template <class Ref, class M>
    TWOLAYER_INLINE static step_status check_value(const Ref&, M*, S p, C m, C step, C decay,
                                                   const guard::limits<F>& lim) {
        guard::magnitude<F> unused;
        if constexpr (std::is_same<M, no_master>::value) {
            (void)m;
            return guard::check_stored(lim, p, step, decay, unused);
        } else {
            (void)p;
            return guard::check_master(lim, m, step, decay, unused);
        }
    }

    // The current value of a parameter: from the master copy if there is one.
    template <class Ref, class M>
    TWOLAYER_INLINE static C v_value(const Ref& net, M* master, index_t k) {
        if constexpr (std::is_same<M, no_master>::value) return value_of<F>(net.v[k]); else return master->v[k];
    }
    template <class Ref, class M>
    TWOLAYER_INLINE static C b_value(const Ref& net, M* master, index_t k) {
        if constexpr (std::is_same<M, no_master>::value) return value_of<F>(net.b[k]); else return master->b[k];
    }
    template <class Ref, class M>
    TWOLAYER_INLINE static C output_bias_value(const Ref& net, M* master) {
        if constexpr (std::is_same<M, no_master>::value) return value_of<F>(net.head->output_bias); else return *master->c;
    }

    // v' and b': every v_k, then every b_k, each value checked (guard::check_stored or
    // check_master). Buffered, the updated values are also kept for the write, which copies them.
    template <index_t N, index_t P, class Act, class M, bool B>
    TWOLAYER_INLINE static step_status check_second_layer(const network_ref<F, N, P, Act>& net, M* master,
                                                          const update_plan& u, const guard::limits<F>& lim,
                                                          second_layer_buffer<P, B>& buffer) {
        if constexpr (B) {
            for (index_t k = 0; k < P; ++k) {
                buffer.v[k] = updated(value_of<F>(net.v[k]), guard::mul0(u.alpha_v, net.g[k]), u.decay_v);
                buffer.b[k] = updated(value_of<F>(net.b[k]), guard::mul0(u.alpha_b, net.delta[k]), C(1));
            }
        }
        if (u.v) {
            for (index_t k = 0; k < net.hidden(); ++k) {
                const step_status st =
                    check_value(net, master, net.v[k], v_value(net, master, k), guard::mul0(u.alpha_v, net.g[k]),
                                u.decay_v, lim);
                if (st != step_status::ok) return st;
            }
        }
        if (u.hb) {
            for (index_t k = 0; k < net.hidden(); ++k) {
                const step_status st = check_value(net, master, net.b[k], b_value(net, master, k),
                                                   guard::mul0(u.alpha_b, net.delta[k]), C(1), lim);
                if (st != step_status::ok) return st;
            }
        }
        return step_status::ok;
    }

    // Proves W' = decay W + alpha delta x^T within the limits (W: the master copy if any, else the
    // stored weights). The products alpha delta_k x_j are exact zeros when delta_k = 0 or x_j = 0:
    // if some alpha delta_k is not finite (alpha or a row factor overflowed), the step goes on only
    // when every such product is 0 (delta = 0 or x = 0: W' = decay W, and alpha is set to 0 for
    // the write, which would otherwise compute Inf * 0); otherwise it is refused as
    // nonfinite_update, also when the x_j that meet the overflowing factor are subnormal and the
    // exact product would be representable. Fast path: from the bound B on |W|, a magnitude
    // covering every |W'_kj| (fast_first_layer_bound), O(N + P) work; only when it is too loose
    // does it test every element, read-only (exact_first_layer_check), which accepts exactly what
    // the per-value checks accept (the fast bound is never below an element's covering magnitude).
    // On success w_bound receives a bound on |W'| (the master's, on the master path).
    template <index_t N, index_t P, class Act, class M, index_t EX>
    static step_status check_first_layer(const network_ref<F, N, P, Act>& net, M* master, vec_view<const S, EX> x,
                                         C x_absmax, C& alpha, C decay, const guard::limits<F>& lim, C& w_bound) {
        if (!math::isfinite(decay)) return step_status::nonfinite_update;
        // max_k |alpha delta_k| = |alpha| max_k |delta_k| exactly (rounding is monotone): one scan
        // of delta and one multiply.
        const guard::scan_result<C> ds = guard::scan<C>(vec_view<const C, P>(net.delta));
        if (!ds.finite) return step_status::nonfinite_update;
        C dmax = guard::mul0(math::abs(alpha), ds.absmax);
        if (!math::isfinite(alpha) || !math::isfinite(dmax)) {
            if (ds.absmax != C(0) && x_absmax != C(0)) return step_status::nonfinite_update;
            alpha = C(0);  // every product is an exact 0
            dmax = C(0);
        }
        const C bound = fast_first_layer_bound(w_absmax_bound(net, master), decay, dmax, x_absmax);
        constexpr bool has_master = !std::is_same<M, no_master>::value;
        if constexpr (has_master) {
            if (lim.master_ok(bound)) { w_bound = bound; return step_status::ok; }
        } else if constexpr (format_traits<F>::is_fixed) {
            if (math::isfinite(bound) && bound <= lim.raw_hi_value) { w_bound = bound; return step_status::ok; }
        } else {
            if (lim.stored_ok(bound)) { w_bound = lim.stored_bound(bound); return step_status::ok; }
        }
        return exact_first_layer_check(net, master, x, alpha, decay, lim, w_bound);
    }

    // A magnitude at least every |W'_kj| any kernel may compute, from B >= max |W|,
    // dmax >= max |alpha delta_k| and x_absmax >= max |x_j|, in C: each form of decay w + c x
    // (one rounding or two) is at most (|decay| B + dmax x_absmax)(1 + eps)^2; the margin 1 + 6 eps
    // covers that, the rounding of this computation, and is at least the covering magnitude of
    // every element (guard::covering_magnitude, 1 + 4 eps of the same sum). Fixed point (stored,
    // not a master): in raw units the write adds round(2^Frac fl(c x) + fl((decay - 1) raw)) to
    // raw; with R = B 2^Frac, |raw'| <= |decay| R + 2^Frac dmax x_absmax (1 + eps)^2 +
    // 5 eps |decay - 1| R + 1, so 5 eps |decay - 1| B and one step, rounded up, are added.
    static C fast_first_layer_bound(C B, C decay, C dmax, C x_absmax) {
        constexpr C eps = std::numeric_limits<C>::epsilon();
        C sum = (decay == C(1) ? B : math::abs(decay) * B) + dmax * x_absmax;
        if constexpr (format_traits<F>::is_fixed) {
            if (decay != C(1)) sum = sum + C(5) * eps * (math::abs(decay - C(1)) * B);
            return guard::detail::next_up(C(sum * (C(1) + C(6) * eps)) + C(format_traits<F>::resolution));
        } else {
            return sum * (C(1) + C(6) * eps);
        }
    }

    // The bound on max |W| (the master's if any): the one recorded by the last checked write, or,
    // when unknown, max |W| itself. W held in C (the master copy, or a float/double network) is
    // scanned by the guard's scan (LDM and integer compares on the Cortex-M); a weight that is not
    // finite makes the bound infinite, and the exact check then names it. Fixed point: the
    // largest |raw|, converted rounded up (value_of may round a 31-bit raw value down).
    template <index_t N, index_t P, class Act, class M>
    TWOLAYER_INLINE static C w_absmax_bound(const network_ref<F, N, P, Act>& net, M* master) {
        constexpr bool has_master = !std::is_same<M, no_master>::value;
        C bound;
        if constexpr (has_master) bound = *master->w_absmax_bound; else bound = net.head->w_absmax_bound();
        if (bound >= C(0)) return bound;
        if constexpr (has_master || is_native_v<F>) {
            const C* w;
            if constexpr (has_master) w = master->W.data(); else w = net.W.data();
            const guard::scan_result<C> ws = guard::scan<C>(vec_view<const C>(w, net.W.size()));
            return ws.finite ? ws.absmax : std::numeric_limits<C>::infinity();
        } else if constexpr (format_traits<F>::is_fixed) {
            guard::magnitude<F> acc;
            const S* w = net.W.data();
            for (index_t i = 0; i < net.W.size(); ++i) {
                const std::int64_t r = w[i].raw;
                acc.add_raw(r < 0 ? -r : r);
            }
            return acc.value();
        } else {
            bound = C(0);
            for (index_t k = 0; k < net.hidden(); ++k)
                for (index_t j = 0; j < net.inputs(); ++j)
                    if (math::abs(value_of<F>(net.W(k, j))) > bound) bound = math::abs(value_of<F>(net.W(k, j)));
            return bound;
        }
    }

    // The slow path of check_first_layer: every updated weight computed as the write computes it and
    // checked (guard::check_stored, check_master), read-only, row by row. On success w_bound
    // receives the largest bound of the accepted values.
    template <index_t N, index_t P, class Act, class M, index_t EX>
    static step_status exact_first_layer_check(const network_ref<F, N, P, Act>& net, M* master, vec_view<const S, EX> x,
                                               C alpha, C decay, const guard::limits<F>& lim, C& w_bound) {
        guard::magnitude<F> acc;
        for (index_t k = 0; k < net.hidden(); ++k) {
            const C c = alpha * net.delta[k];
            for (index_t j = 0; j < net.inputs(); ++j) {
                const C step = c * value_of<F>(x[j]);
                step_status st;
                if constexpr (std::is_same<M, no_master>::value) {
                    st = guard::check_stored(lim, net.W(k, j), step, decay, acc);
                } else {
                    st = guard::check_master(lim, master->W(k, j), step, decay, acc);
                }
                if (st != step_status::ok) return st;
            }
        }
        w_bound = acc.value();
        return step_status::ok;
    }

    // Writes W (from the master if any, storing it into the network), and records the bound the
    // check proved. The fused step also computes lambda = W' x_next (+ b' later) in the same pass,
    // or, with W frozen, in a gemv.
    template <index_t N, index_t P, class Act, class M, index_t EX, class Next, class Arch>
    TWOLAYER_INLINE void write_first_layer(const network_ref<F, N, P, Act>& net, M* master, vec_view<const S, EX> x,
                                           const update_plan& u, const guard::limits<F>& lim, C w_bound,
                                           const Next* next, Arch arch) {
        constexpr bool has_master = !std::is_same<M, no_master>::value;
        constexpr bool fused = !std::is_same<Next, no_next>::value && is_native_v<F> && !has_master;
        const vec_view<const C, P> delta(net.delta);  // read before v changes
        if constexpr (fused) {
            const C scale = inv_sqrt<C>(net.inputs());
            if (u.w) {
                rank1_update_gemv(net.W, delta, x, u.alpha_w, u.decay_w, *next, net.lambda, scale, arch);
                net.head->set_w_absmax_bound(w_bound);
            } else {
                gemv(mat_view<const S, P, N>(net.W), *next, net.lambda, scale, arch);
            }
        } else if (u.w) {
            if constexpr (has_master) {
                rank1_update(master->W, delta, x, u.alpha_w, u.decay_w, arch);
                store_all(format_tag<F>{}, master->W.flat(), net.W.flat(), arch);
                *master->w_absmax_bound = w_bound;
                net.head->set_w_absmax_bound(lim.master_stored_bound(w_bound));
            } else if constexpr (is_native_v<F>) {
                rank1_update(net.W, delta, x, u.alpha_w, u.decay_w, arch);
                net.head->set_w_absmax_bound(w_bound);
            } else {
                rank1_update_stored(format_tag<F>{}, net.W, delta, x, u.alpha_w, u.decay_w, rounding, arch);
                net.head->set_w_absmax_bound(w_bound);
            }
        }
    }

    // Writes v and b (after W: delta and g were read before v changes): the master's exact
    // values stored to nearest, the buffered values, or each stored value with the rounding.
    template <index_t N, index_t P, class Act, class M, bool B>
    TWOLAYER_INLINE void write_second_layer(const network_ref<F, N, P, Act>& net, M* master, const update_plan& u,
                                            const second_layer_buffer<P, B>& buffer) {
        if constexpr (!std::is_same<M, no_master>::value) {
            for (index_t k = 0; k < net.hidden(); ++k) {
                if (u.v)
                    net.v[k] = store_as<F>(master->v[k] = updated(master->v[k], guard::mul0(u.alpha_v, net.g[k]), u.decay_v));
                if (u.hb)
                    net.b[k] = store_as<F>(master->b[k] = updated(master->b[k], guard::mul0(u.alpha_b, net.delta[k]), C(1)));
            }
        } else if constexpr (B) {
            if (u.v) for (index_t k = 0; k < P; ++k) net.v[k] = buffer.v[k];
            if (u.hb) for (index_t k = 0; k < P; ++k) net.b[k] = buffer.b[k];
        } else {
            for (index_t k = 0; k < net.hidden(); ++k) {
                if (u.v) net.v[k] = apply_update<F>(net.v[k], guard::mul0(u.alpha_v, net.g[k]), u.decay_v, rounding);
                if (u.hb) net.b[k] = apply_update<F>(net.b[k], guard::mul0(u.alpha_b, net.delta[k]), C(1), rounding);
            }
        }
    }

    // Writes c: the master's checked value stored to nearest, or the stored value updated with
    // the rounding.
    template <index_t N, index_t P, class Act, class M>
    TWOLAYER_INLINE void write_output_bias(const network_ref<F, N, P, Act>& net, M* master, const update_plan& u,
                                           C c_new) {
        if (!u.ob) return;
        if constexpr (!std::is_same<M, no_master>::value) {
            net.head->output_bias = store_as<F>(*master->c = c_new);
        } else {
            net.head->output_bias = apply_update<F>(net.head->output_bias, u.alpha_b, C(1), rounding);
        }
    }
};

}  // namespace twolayer
