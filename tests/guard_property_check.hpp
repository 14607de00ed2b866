// The property test's verdict on one step, and the runs over every path (guard_property.hpp).
#pragma once

namespace guard_property {

// The checks after a step. pre: the snapshot before it; now: the state after; cs: the exact
// candidates (count 0 when the step stopped before them); limit: config.weight_limit.
template <class F>
struct verdict {
    using S = storage_t<F>;
    using C = compute_t<F>;
    using SI = storage_info<S>;
    stats& st;
    long step;
    bool master;

    // Bounds: the stored bound on |W| (network's, master's) at least the true max |W|.
    void bounds(arena<F>& now) const {
        ld wmax = 0, mmax = 0;
        for (index_t i = 0; i < now.p * now.n; ++i) {
            const ld a = std::fabs(SI::value(now.W[i]));
            if (!(a <= wmax)) wmax = a;  // NaN too
            if (master) {
                const ld m = std::fabs(ld(now.mW[i]));
                if (!(m <= mmax)) mmax = m;
            }
        }
        const ld hb = now.head.w_absmax_bound();
        if (hb >= 0 && !(hb >= wmax)) st.report(k_bound_unsound, step, "head bound < max |W|", hb, wmax, 0);
        if (master && now.mbound >= C(0) && !(ld(now.mbound) >= mmax))
            st.report(k_master_bound_unsound, step, "master bound < max |W|", ld(now.mbound), mmax, 0);
    }

    // A refused step: every weight byte as before.
    void refused(arena<F>& pre, arena<F>& now) const {
        for (index_t i = 0; i < now.params(); ++i) {
            if (!same_bytes(pre.param(i), now.param(i)))
                st.report(k_refused_changed, step, "refused step changed parameter", ld(i), SI::value(pre.param(i)),
                          SI::value(now.param(i)));
            if (master && !same_bytes(pre.mparam(i), now.mparam(i)))
                st.report(k_refused_changed, step, "refused step changed master", ld(i), ld(pre.mparam(i)), ld(now.mparam(i)));
        }
    }

    // An accepted step: finiteness, the limit, the loss, saturation, and the exact update.
    void accepted(arena<F>& pre, arena<F>& now, const candidates& cs, C limit, C loss, std::uint32_t sat0) const {
        if (!finite_c(loss)) st.report(k_nonfinite_loss, step, "accepted step's loss", ld(loss), 0, 0);
        if (saturation_count<S>() != sat0)
            st.report(k_saturated, step, "saturations during an accepted step", ld(saturation_count<S>() - sat0), 0, 0);
        for (index_t i = 0; i < now.params(); ++i) {
            if (!cs.trained[i]) {
                if (!same_bytes(pre.param(i), now.param(i)) || (master && !same_bytes(pre.mparam(i), now.mparam(i))))
                    st.report(k_untrained_changed, step, "untrained parameter changed", ld(i), SI::value(pre.param(i)),
                              SI::value(now.param(i)));
                continue;
            }
            const S s = now.param(i);
            if (!SI::finite(s)) {
                st.report(k_nonfinite_weight, step, "stored weight", ld(i), SI::value(s), cs.cand[i]);
                continue;
            }
            const ld val = SI::value(s);
            if (limit > C(0) && std::fabs(val) > ld(limit))
                st.report(k_over_limit, step, "stored |w| > limit (param, value, limit)", ld(i), val, ld(limit));
            if (master) {
                const C m = now.mparam(i);
                if (!finite_c(m)) st.report(k_nonfinite_weight, step, "master weight", ld(i), ld(m), cs.cand[i]);
                if (limit > C(0) && std::fabs(ld(m)) > ld(limit))
                    st.report(k_master_over_limit, step, "master |w| > limit", ld(i), ld(m), ld(limit));
                if (!(std::fabs(ld(m) - cs.cand[i]) <= cs.tol[i]))
                    st.report(k_value_mismatch, step, "master value vs exact (param, got, exact)", ld(i), ld(m), cs.cand[i]);
                if (!same_bytes(s, store_as<F>(m)))
                    st.report(k_master_store, step, "stored != master rounded", ld(i), val, ld(m));
            } else {
                const ld a = std::fabs(cs.cand[i]) + cs.tol[i];
                if (!(std::fabs(val - cs.cand[i]) <= cs.tol[i] + SI::spacing(a)))
                    st.report(k_value_mismatch, step, "stored value vs exact (param, got, exact)", ld(i), val, cs.cand[i]);
            }
        }
    }
};

// The activations a format's runs use: all seven for float and double; for the narrow formats
// ReLU (dead units, delta = 0), tanh (bounded; float's own tanh map) and one more
// (extra_activation), so that every activation meets half precision and fixed point somewhere,
// at less than half the compile time of all seven everywhere.
template <class F> struct extra_activation { using type = act::erf; };
template <> struct extra_activation<f16> { using type = act::sigmoid; };
template <> struct extra_activation<bf16> { using type = act::quadratic; };
template <> struct extra_activation<q3_12> { using type = act::abs; };
template <> struct extra_activation<mixed<q4_27, double>> { using type = act::linear; };
template <> struct extra_activation<mixed<bf16, double>> { using type = act::sigmoid; };
template <> struct extra_activation<mixed<q3_12, double>> { using type = act::quadratic; };
template <> struct extra_activation<mixed<f16, double>> { using type = act::abs; };
template <> struct extra_activation<mixed<q4_27, float>> { using type = act::linear; };

// Bare-metal images (TL_GUARD_PROPERTY_SMALL: the Cortex-M55 board has 512 KB of flash), the
// sanitizer build and the ARM Linux builds (guard_property_test.hpp says why) get one activation
// per narrow format and two for float and double.
#ifdef TL_GUARD_PROPERTY_FEW_ACTIVATIONS
template <class F> constexpr int test_activations() { return is_native_v<F> ? 2 : 1; }
template <class F, class Fn>
void with_test_activation(int i, Fn&& f) {
    if constexpr (is_native_v<F>) {
        if (i == 0) f(act::relu{}); else f(act::tanh{});
    } else {
        (void)i;
        f(typename extra_activation<F>::type{});
    }
}
#else
template <class F> constexpr int test_activations() { return is_native_v<F> ? 7 : 3; }
template <class F, class Fn>
void with_test_activation(int i, Fn&& f) {
    if constexpr (is_native_v<F>) {
        with_activation(activation_id(i), f);
    } else {
        if (i == 0) f(act::relu{});
        else if (i == 1) f(act::tanh{});
        else f(typename extra_activation<F>::type{});
    }
}
#endif

// A refusal no exact candidate justifies: the status, the nearest candidate's (|cand| + slack) /
// ceiling (below 1), the candidate and its old value.
template <class F>
void report_wrong_refusal(stats& st, long step, step_status status, const candidates& cs, ld ceil) {
    index_t i = 0;
    const ld q = worst_candidate<F>(cs, ceil, i);
    st.report(k_wrong_refusal, step, to_string(status), q, cs.cand[i], cs.old[i]);
}

// One run: a (format, path, rounding, static or dynamic sizes) combination, its trainers, state
// and random stream.
template <class F, class Rnd>
struct runner {
    using S = storage_t<F>;
    using C = compute_t<F>;
    using SI = storage_info<S>;
    rng64 r;
    arena<F> a, pre, scratch;
    online_sgd<F, squared_loss, Rnd> sgd;
    gd_trainer<F, NS, PS, squared_loss, Rnd> gd;
    dataset<S, GM, NS> data;
    int act = 0;
    int episode_left = 0;
    S x[NMAX], xn[NMAX];
    bool have_next = false;

    explicit runner(std::uint64_t seed)
        : r(seed), sgd(train_config<C>{}, squared_loss{}, make_rounding(seed)),
          gd(train_config<C>{}, squared_loss{}, make_rounding(seed + 1)) {}
    static Rnd make_rounding(std::uint64_t seed) {
        if constexpr (std::is_same<Rnd, round_nearest>::value) {
            (void)seed;
            return Rnd{};
        } else {
            return Rnd(seed);
        }
    }

    ld wmax() {
        ld m = 0;
        for (index_t i = 0; i < a.p * a.n; ++i) {
            const ld v = std::fabs(SI::value(a.W[i]));
            if (v > m) m = v;
        }
        return m;
    }

    // A new network: activation, sizes, wild weights, biases on or off.
    void new_episode(bool dyn) {
        act = r.below(test_activations<F>());
        a.n = dyn ? index_t(1 + r.below(int(NMAX))) : NS;
        a.p = dyn ? index_t(1 + r.below(int(PMAX))) : PS;
        // One network in ten of values a few steps above the format's smallest (subnormals of f16).
        const double scale = r.chance(0.1) ? SI::smallest() * r.pow10(0, 3) : r.pow10(-2, 1);
        const double limit = r.chance(0.5) ? r.pow10(-6, 2) : 0.0;
        const bool tame = r.chance(0.6);
        for (index_t i = 0; i < a.params(); ++i) a.param(i) = wild_weight<F>(r, limit, scale, tame);
        a.head.use_hidden_bias(r.chance(0.5));
        a.head.use_output_bias(r.chance(0.5));
        a.head.weights_changed();
        a.load_master();
        for (index_t k = 0; k < PMAX; ++k) a.lambda[k] = a.g[k] = a.delta[k] = C(0);
        episode_left = 8 + r.below(56);
        have_next = false;
    }

    // A wild sample; bad: it has a NaN or Inf.
    bool fill_sample(S* dst, index_t n) {
        const double scale = r.chance(0.75) ? 1.0 : r.pow10(-30, 30);
        for (index_t j = 0; j < n; ++j) dst[j] = wild_input<F>(r, scale);
        if (r.chance(0.03)) return spoil<F>(r, dst[r.below(int(n))]);
        return false;
    }
    static bool sample_bad(const S* x, index_t n) {
        for (index_t j = 0; j < n; ++j)
            if (!SI::finite(x[j])) return true;
        return false;
    }

    // The output of the network as it stands on sample xs (a forward pass on a copy).
    template <class Act, index_t NE, index_t PE>
    ld predict(const S* xs) {
        scratch = a;
        auto sr = scratch.template ref<NE, PE, Act>();
        return ld(forward(sr, vec_at<const S, NE>(xs, a.n)));
    }

    template <path Pth, bool Dyn>
    void run(stats& st, long steps) {
        for (long i = 0; i < steps; ++i) {
            if (episode_left-- <= 0) new_episode(Dyn);
            with_test_activation<F>(act, [&](auto A) {
                if constexpr (Pth == path::separate || Pth == path::fused || Pth == path::master) {
                    one_online<decltype(A), Pth, Dyn ? dynamic_extent : NS, Dyn ? dynamic_extent : PS>(st, i);
                } else {
                    one_batch<decltype(A), Pth>(st, i);
                }
            });
        }
    }

    // Counts a step by its status and checks what holds whatever the status: the stored |W|
    // bounds, and on a refusal that no byte of the network (or master) moved.
    verdict<F> tally(stats& st, long step, bool master, step_status status) {
        const verdict<F> vd{st, step, master};
        ++st.steps;
        ++st.by_status[int(status) < status_count ? int(status) : 0];
        vd.bounds(a);
        if (status == step_status::ok) {
            ++st.accepted;
        } else {
            ++st.refused;
            vd.refused(pre, a);
        }
        return vd;
    }

    // One online step (separate, fused or master) with every check.
    template <class Act, path Pth, index_t NE, index_t PE>
    void one_online(stats& st, long step) {
        constexpr bool master = Pth == path::master;
        bool cfg_bad = false, y_bad = false;
        const train_config<C> cfg = wild_config<F>(r, wmax(), cfg_bad);
        sgd.config = cfg;
        // The sample: the one announced to the previous fused step (most of the time), or fresh.
        bool x_bad;
        if (Pth == path::fused && have_next && r.chance(0.8)) {
            std::memcpy(x, xn, sizeof x);
            x_bad = sample_bad(x, a.n);
        } else {
            x_bad = fill_sample(x, a.n);
        }
        if (Pth == path::fused) fill_sample(xn, a.n);
        const C y = wild_label<F>(r, double(predict<Act, NE, PE>(x)), y_bad);
        const vec_view<const S, NE> xv = vec_at<const S, NE>(x, a.n), xnv = vec_at<const S, NE>(xn, a.n);
        auto net = a.template ref<NE, PE, Act>();
        pre = a;
        const std::uint32_t sat0 = saturation_count<S>();
        step_result<C> res;
        if constexpr (Pth == path::separate) res = sgd.step(net, xv, y);
        else if constexpr (Pth == path::fused) res = sgd.step(net, xv, y, xnv);
        else {
            auto m = a.template master<NE, PE>();
            res = sgd.step(net, m, xv, y);
        }
        have_next = res.ok();
        // The reference: a fresh forward and backward pass on the snapshot.
        scratch = pre;
        auto sr = scratch.template ref<NE, PE, Act>();
        const C yr = forward(sr, xv);
        backward_signal(sr);
        candidates cs;
        online_candidates(pre, master, cfg, ld(yr), scratch.g, scratch.delta, x, ld(y), cs);
        const verdict<F> vd = tally(st, step, master, res.status);
        if (res.ok()) {
            if (!same_bytes(a.head.yhat, scratch.head.yhat)) st.report(k_cache_mismatch, step, "output", ld(a.head.yhat), ld(scratch.head.yhat), 0);
            for (index_t k = 0; k < a.p; ++k)
                if (!same_bytes(a.g[k], scratch.g[k])) st.report(k_cache_mismatch, step, "g", ld(k), ld(a.g[k]), ld(scratch.g[k]));
            vd.accepted(pre, a, cs, cfg.weight_limit, res.loss, sat0);
            return;
        }
        index_t which = 0;
        if (cfg_bad || x_bad || y_bad || output_too_big<C>(ld(yr), ld(y)) || some_candidate_breaks<F>(cs, ceiling<F>(cfg), which))
            return;
        if (cs.factor_overflow && res.status == step_status::nonfinite_update) return;
        report_wrong_refusal<F>(st, step, res.status, cs, ceiling<F>(cfg));
    }

    // One batch step (full batch or a window of the dataset, with or without master).
    template <class Act, path Pth>
    void one_batch(stats& st, long step) {
        constexpr bool master = Pth == path::gd_full_master || Pth == path::gd_mini_master;
        constexpr bool full = Pth == path::gd_full || Pth == path::gd_full_master;
        bool cfg_bad = false;
        const train_config<C> cfg = wild_config<F>(r, wmax(), cfg_bad);
        gd.config = cfg;
        bool data_bad = false;
        const index_t first = index_t(r.below(int(GM)));
        const index_t count = full ? GM : (r.chance(0.03) ? 0 : index_t(1 + r.below(int(GM))));
        for (index_t mu = 0; mu < GM; ++mu) {
            const bool bad_x = fill_sample(data.X.data + mu * NS, NS);
            bool bad_y = false;
            const C y = wild_label<F>(r, double(predict<Act, NS, PS>(data.X.data + mu * NS)), bad_y);
            data.y.data[mu] = SI::from(double(y));
            const bool in_batch = full || (count > 0 && ((mu + GM - first) % GM) < count);
            if (in_batch && (bad_x || !SI::finite(data.y.data[mu]))) data_bad = true;
        }
        auto net = a.template ref<NS, PS, Act>();
        pre = a;
        const std::uint32_t sat0 = saturation_count<S>();
        step_result<C> res;
        auto m = a.template master<NS, PS>();
        if constexpr (Pth == path::gd_full) res = gd.full_batch(net, data);
        else if constexpr (Pth == path::gd_mini) res = gd.minibatch(net, data, first, count);
        else if constexpr (Pth == path::gd_full_master) res = gd.full_batch(net, m, data);
        else res = gd.minibatch(net, m, data, first, count);
        (void)m;
        const index_t used = full ? GM : count;
        candidates cs;
        if (used > 0) batch_candidates(pre, master, cfg, used, gd.last_gradients(), cs);
        const verdict<F> vd = tally(st, step, master, res.status);
        if (res.ok()) {
            if (used == 0) st.report(k_wrong_refusal, step, "empty batch accepted", 0, 0, 0);
            else vd.accepted(pre, a, cs, cfg.weight_limit, res.loss, sat0);
            return;
        }
        if (cfg_bad || data_bad || used == 0) return;
        // An output or loss C cannot hold: each sample's forward pass on the snapshot.
        ld loss_sum = 0;
        for (index_t i = 0; i < used; ++i) {
            const index_t mu = full ? i : (first + i) % GM;
            const ld yhat = predict_pre<Act>(mu);
            const ld y = SI::value(data.y.data[mu]);
            if (output_too_big<C>(yhat, y)) return;
            loss_sum += ld(0.5) * (yhat - y) * (yhat - y);
        }
        if (output_too_big<C>(0, std::sqrt(2 * loss_sum))) return;
        index_t which = 0;
        if (some_candidate_breaks<F>(cs, ceiling<F>(cfg), which)) return;
        report_wrong_refusal<F>(st, step, res.status, cs, ceiling<F>(cfg));
    }
    template <class Act>
    ld predict_pre(index_t mu) {
        scratch = pre;
        auto sr = scratch.template ref<NS, PS, Act>();
        return ld(forward(sr, data.X.view().row(mu)));
    }
};

}  // namespace guard_property

#include "guard_property_formats.hpp"
