// The property test's state and one step of it (tests/guard_property.hpp says what it checks).
#pragma once

namespace guard_property {

// Views of n (or rows x cols) values for either extent: a static extent takes no size
// (core/view.hpp), a dynamic one takes the run-time size.
template <class T, twolayer::index_t E>
twolayer::vec_view<T, E> vec_at(T* p, twolayer::index_t n) {
    return twolayer::detail::view_at<T, E>(p, n);
}
template <class T, twolayer::index_t R, twolayer::index_t K>
twolayer::mat_view<T, R, K> mat_at(T* p, twolayer::index_t rows, twolayer::index_t cols) {
    constexpr twolayer::index_t dyn = twolayer::dynamic_extent;
    if constexpr (R == dyn && K == dyn) return {p, rows, cols};
    else if constexpr (R == dyn) return {p, rows};
    else if constexpr (K == dyn) return {p, cols};
    else return twolayer::mat_view<T, R, K>(p);
}

// Every byte a step may touch, in one object (copied whole as the step's snapshot): a network of
// up to NMAX x PMAX as views over these arrays (static or dynamic extents), and a master copy.
template <class F>
struct arena {
    using S = storage_t<F>;
    using C = compute_t<F>;
    alignas(storage_alignment) S W[PMAX * NMAX];
    alignas(storage_alignment) S v[PMAX];
    alignas(storage_alignment) S b[PMAX];
    alignas(storage_alignment) C lambda[PMAX];
    alignas(storage_alignment) C g[PMAX];
    alignas(storage_alignment) C delta[PMAX];
    network_head<F> head;
    // The fused step's copy of x_next (network_ref::x_ahead; float and double, as a
    // lookahead_network keeps it): with it the fused path's reuse of pre-activations is exercised.
    alignas(storage_alignment) S xa[NMAX];
    alignas(storage_alignment) C mW[PMAX * NMAX];
    alignas(storage_alignment) C mv[PMAX];
    alignas(storage_alignment) C mb[PMAX];
    C mc = C(0), mbound = C(-1);
    index_t n = 1, p = 1;

    template <index_t NE, index_t PE, class Act>
    network_ref<F, NE, PE, Act> ref() {
        return {mat_at<S, PE, NE>(W, p, n), vec_at<S, PE>(v, p), vec_at<S, PE>(b, p), vec_at<C, PE>(lambda, p),
                vec_at<C, PE>(g, p), vec_at<C, PE>(delta, p), &head,
                is_native_v<F> ? vec_at<S, NE>(xa, n) : vec_view<S, NE>{}};
    }
    template <index_t NE, index_t PE>
    master_ref<C, NE, PE> master() {
        return {mat_at<C, PE, NE>(mW, p, n), vec_at<C, PE>(mv, p), vec_at<C, PE>(mb, p), &mc, &mbound};
    }
    // Parameter i in the order W (row-major), v, b, c.
    S& param(index_t i) {
        const index_t w = p * n;
        if (i < w) return W[i];
        if (i < w + p) return v[i - w];
        if (i < w + 2 * p) return b[i - w - p];
        return head.output_bias;
    }
    C& mparam(index_t i) {
        const index_t w = p * n;
        if (i < w) return mW[i];
        if (i < w + p) return mv[i - w];
        if (i < w + 2 * p) return mb[i - w - p];
        return mc;
    }
    index_t params() const { return p * n + 2 * p + 1; }
    // The master loaded from the network (as master_weights::load does), its bound unknown.
    void load_master() {
        for (index_t i = 0; i < params(); ++i) mparam(i) = value_of<F>(param(i));
        mbound = C(-1);
    }
};

// The exact update of every parameter: old value (the master's if any), candidate, the rounding
// the trainer's arithmetic may add to it (tol), and whether the step trains it.
struct candidates {
    ld old[PARAMS], cand[PARAMS], tol[PARAMS];
    bool trained[PARAMS];
    index_t count = 0;
    // A factor the trainer forms before multiplying by a nonzero partner (alpha, alpha delta_k,
    // alpha_v, alpha_b) is past C's range: the guard refuses such a step as nonfinite_update even
    // when the exact product with a small x_j or g_k would be representable (train/online_sgd.hpp,
    // check_first_layer: the documented rule), so such a refusal is justified.
    bool factor_overflow = false;
};

// a * b with an exact zero when either factor is 0, also against an infinity (a gradient sum that
// overflowed in C, times a rate of 0, is an exact 0: the trainer's guard::mul0 gives 0 there too).
inline ld prod0(ld a, ld b) { return (a == 0 || b == 0) ? ld(0) : a * b; }

// Whether |f| (exact) is past C's largest value, within C's rounding of the factor's terms.
template <class C>
bool past_range(ld f) {
    return !(std::fabs(f) < ld(std::numeric_limits<C>::max()) * (1 - 16 * ld(std::numeric_limits<C>::epsilon())));
}

// tol: 16 units of C's rounding on the update's terms. The trainer forms alpha from the rate,
// the error and 1/sqrt N (up to five roundings), then alpha delta_k, times x_j, decay w and the
// sum (four more), and decay = 1 - lr wd (its rounding scales |w|): at most about 10 roundings of
// terms no larger than |w| (|decay| + |1 - decay|) and |step|; 16 leaves a margin. Plus C's
// smallest subnormal times 8 and times `spread`, for intermediate products that underflow and are
// then multiplied on: alpha and alpha delta_k, multiplied by delta_k and x_j (spread
// |x_j| (1 + |delta_k|)), or alpha times g_k, delta_k or a gradient sum.
// The smallest magnitude C's arithmetic keeps in the kernels: the smallest subnormal, or on
// Armv7 NEON and Helium (MVE), whose float lanes flush subnormals to zero (the cortex-m55 run
// showed exact values near 1e-43 stored as 0, as armv7's did), the smallest normal float for float.
template <class C>
ld smallest_kept() {
#if (defined(__ARM_NEON) && !defined(__aarch64__)) || (defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2))
    if (std::is_same<C, float>::value) return ld(std::numeric_limits<C>::min());
#endif
    return ld(std::numeric_limits<C>::denorm_min());
}

template <class C>
void add_candidate(candidates& cs, index_t i, ld old, ld decay, ld step, bool trained, ld spread) {
    const ld u = ld(std::numeric_limits<C>::epsilon()) / 2;
    cs.old[i] = old;
    cs.cand[i] = decay == 1 ? old + step : decay * old + step;
    const ld a = std::fabs(old) * (std::fabs(decay) + std::fabs(1 - decay)) + std::fabs(step);
    cs.tol[i] = 16 * u * a + (8 + 2 * spread) * smallest_kept<C>();
    cs.trained[i] = trained;
}

// The online step's candidates from the reference forward pass (yhat, g, delta in C, as the
// trainer computes them) and the exact error, rates, decays and scaling.
template <class F>
void online_candidates(arena<F>& pre, bool master, const train_config<compute_t<F>>& c, ld yhat, const compute_t<F>* g,
                       const compute_t<F>* delta, const storage_t<F>* x, ld y, candidates& cs) {
    using C = compute_t<F>;
    using SI = storage_info<storage_t<F>>;
    const index_t n = pre.n, p = pre.p;
    const ld per_n = c.scaling == lr_scaling::teacher_student ? 1.0L / ld(n) : 1.0L;
    const ld err = yhat - y;
    const ld lrw = c.lr_w, lrv = ld(c.lr_v) * per_n, lrb = ld(c.lr_b) * per_n;
    const ld aw = -lrw * err / std::sqrt(ld(n)), dw = 1 - lrw * ld(c.weight_decay_w);
    const ld av = -lrv * err, dv = 1 - lrv * ld(c.weight_decay_v), ab = -lrb * err;
    auto old = [&](index_t i) { return master ? ld(pre.mparam(i)) : SI::value(pre.param(i)); };
    bool x_nonzero = false;
    for (index_t j = 0; j < n; ++j) x_nonzero = x_nonzero || SI::value(x[j]) != 0;
    for (index_t k = 0; k < p; ++k) {
        const bool live = delta[k] != 0 && x_nonzero;
        // alpha_w is formed as (-lr_w err) / sqrt N in C: its intermediate -lr_w err counts too
        if (c.train_w && live && (past_range<C>(lrw * err) || past_range<C>(aw) || past_range<C>(aw * ld(delta[k]))))
            cs.factor_overflow = true;
        if (c.train_v && g[k] != 0 && past_range<C>(av)) cs.factor_overflow = true;
        if (c.train_b && delta[k] != 0 && pre.head.hidden_bias_on() && past_range<C>(ab)) cs.factor_overflow = true;
    }
    for (index_t k = 0; k < p; ++k)
        for (index_t j = 0; j < n; ++j) {
            const index_t i = k * n + j;
            const ld xj = SI::value(x[j]);
            add_candidate<C>(cs, i, old(i), dw, prod0(prod0(aw, ld(delta[k])), xj), c.train_w,
                             std::fabs(xj) * (1 + std::fabs(ld(delta[k]))));
        }
    for (index_t k = 0; k < p; ++k) {
        add_candidate<C>(cs, p * n + k, old(p * n + k), dv, prod0(av, ld(g[k])), c.train_v, std::fabs(ld(g[k])));
        add_candidate<C>(cs, p * n + p + k, old(p * n + p + k), 1, prod0(ab, ld(delta[k])),
                         c.train_b && pre.head.hidden_bias_on(), std::fabs(ld(delta[k])));
    }
    add_candidate<C>(cs, p * n + 2 * p, old(p * n + 2 * p), 1, ab, c.train_b && pre.head.output_bias_on(), 1);
    cs.count = pre.params();
}

// The batch step's candidates from the trainer's gradient sums (alpha = -lr / count).
template <class F, class Grads>
void batch_candidates(arena<F>& pre, bool master, const train_config<compute_t<F>>& c, index_t count,
                      const Grads& gr, candidates& cs) {
    using C = compute_t<F>;
    using SI = storage_info<storage_t<F>>;
    const index_t n = pre.n, p = pre.p;
    const ld per_n = c.scaling == lr_scaling::teacher_student ? 1.0L / ld(n) : 1.0L;
    const ld lrw = c.lr_w, lrv = ld(c.lr_v) * per_n, lrb = ld(c.lr_b) * per_n;
    const ld aw = -lrw / ld(count), av = -lrv / ld(count), ab = -lrb / ld(count);
    const ld dw = 1 - lrw * ld(c.weight_decay_w), dv = 1 - lrv * ld(c.weight_decay_v);
    auto old = [&](index_t i) { return master ? ld(pre.mparam(i)) : SI::value(pre.param(i)); };
    for (index_t k = 0; k < p; ++k)
        for (index_t j = 0; j < n; ++j) {
            const ld gs = gr.dW.data[k * n + j];
            add_candidate<C>(cs, k * n + j, old(k * n + j), dw, prod0(aw, gs), c.train_w, std::fabs(gs));
        }
    for (index_t k = 0; k < p; ++k) {
        const ld gv = gr.dv.data[k], gb = gr.db.data[k];
        add_candidate<C>(cs, p * n + k, old(p * n + k), dv, prod0(av, gv), c.train_v, std::fabs(gv));
        add_candidate<C>(cs, p * n + p + k, old(p * n + p + k), 1, prod0(ab, gb), c.train_b && pre.head.hidden_bias_on(),
                         std::fabs(gb));
    }
    add_candidate<C>(cs, p * n + 2 * p, old(p * n + 2 * p), 1, prod0(ab, ld(gr.dc)), c.train_b && pre.head.output_bias_on(),
                     std::fabs(ld(gr.dc)));
    cs.count = pre.params();
}

// The largest |w| the guard lets a weight reach: weight_limit when set below the format's own
// ceiling (a fixed format's range, a quarter of a floating format's: train/guard.hpp).
template <class F>
ld ceiling(const train_config<compute_t<F>>& c) {
    using SI = storage_info<storage_t<F>>;
    const ld own = SI::is_fixed ? ld(SI::max()) : ld(SI::max()) / 4;
    return (c.weight_limit > 0 && ld(c.weight_limit) < own) ? ld(c.weight_limit) : own;
}

// Whether some trained candidate breaks the ceiling or finiteness, within the slack: its
// arithmetic's rounding (tol) and two steps of the storage format at its magnitude (the stored
// neighbour may be the one above; one more for a guard that bounds that neighbour from a slightly
// larger magnitude). A refusal is justified only then (or for a bad setting, sample, label or
// output). Two steps are 2 units of a fixed format, 2 ulp of f16 or bf16, nothing for float and
// double (whose candidates are stored as computed).
template <class F>
bool some_candidate_breaks(const candidates& cs, ld ceil, index_t& which) {
    using SI = storage_info<storage_t<F>>;
    for (index_t i = 0; i < cs.count; ++i) {
        if (!cs.trained[i]) continue;
        const ld a = std::fabs(cs.cand[i]) + cs.tol[i];
        if (!std::isfinite(a) || a + 2 * SI::spacing(a) > ceil) {
            which = i;
            return true;
        }
    }
    return false;
}

// The trained candidate nearest to breaking: its index and (|cand| + slack) / ceiling, for the
// report of a wrong refusal.
template <class F>
ld worst_candidate(const candidates& cs, ld ceil, index_t& which) {
    using SI = storage_info<storage_t<F>>;
    ld worst = -1;
    for (index_t i = 0; i < cs.count; ++i) {
        if (!cs.trained[i]) continue;
        const ld a = std::fabs(cs.cand[i]) + cs.tol[i];
        const ld q = (a + 2 * SI::spacing(a)) / ceil;
        if (!(q <= worst)) {
            worst = q;
            which = i;
        }
    }
    return worst;
}

// An output (or loss) the arithmetic type cannot hold: the error or the loss 0.5 err^2 within 16
// ulp of C's largest value.
template <class C>
bool output_too_big(ld yhat, ld y) {
    const ld big = ld(std::numeric_limits<C>::max()) / (1 + 16 * ld(std::numeric_limits<C>::epsilon()));
    const ld err = yhat - y;
    return !std::isfinite(yhat) || !(std::fabs(err) < big) || !(ld(0.5) * err * err < big);
}

}  // namespace guard_property

#include "guard_property_step.hpp"
