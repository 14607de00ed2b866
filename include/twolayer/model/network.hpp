// The two-layer network: N inputs, P hidden units, one output.
//   lambda_k = w_k . x / sqrt(N) (+ b_k),   yhat = sum_k v_k g(lambda_k) (+ c)
// network<F, N, P, Act> owns every byte it uses (weights and the forward cache) inside the object;
// network_ref is the same thing as views, the currency of kernels and trainers, so the host can
// run any N and P at run time on storage it owns.
// F is the number format (format/traits.hpp): weights, biases and inputs are stored in
// storage_t<F>; pre-activations, activations, the output and the backward signal are computed
// and cached in compute_t<F>. For float and double both are the type itself.
#pragma once
#include <cstdint>

#include "twolayer/core/math.hpp"
#include "twolayer/core/storage.hpp"
#include "twolayer/kernels/default_arch.hpp"
#include "twolayer/model/activation.hpp"

namespace twolayer {

// The scalars of a network: output bias, last output, which biases are used, and a conservative
// upper bound on max |W_kj| that lets the guarded SGD step prove an update finite in O(N + P)
// instead of an extra pass over W (negative = unknown, recomputed when needed).
// lambda_ahead: the forward cache's lambda holds the pre-activations (bias included) of the
// sample whose fingerprint (guard::fingerprint) is lambda_ahead_of, under the current W and b;
// only the fused SGD step sets it (online_sgd::step with a next sample), and whatever could make
// those pre-activations stale clears it: forward(), every trainer step, W_mut(),
// hidden_bias_mut(), use_hidden_bias() and invalidate_weight_bound().
template <class F>
struct network_head {
    storage_t<F> output_bias{};
    compute_t<F> yhat = compute_t<F>(0);
    compute_t<F> w_absmax_bound = compute_t<F>(-1);
    std::uint64_t lambda_ahead_of = 0;
    bool lambda_ahead = false;
    bool hidden_bias = false;
    bool output_bias_on = false;
};

template <class F, index_t N, index_t P, class Act>
struct network_ref {
    using format = F;
    using T = storage_t<F>;
    using C = compute_t<F>;
    using value_type = T;
    using compute_type = C;
    using activation = Act;
    static constexpr index_t n_extent = N;
    static constexpr index_t p_extent = P;

    mat_view<T, P, N> W;       // first layer, row k = w_k
    vec_view<T, P> v;          // second layer
    vec_view<T, P> b;          // hidden biases (used when head->hidden_bias)
    vec_view<C, P> lambda;     // forward cache: pre-activations
    vec_view<C, P> g;          // forward cache: g(lambda)
    vec_view<C, P> delta;      // backward cache: d yhat / d lambda_k = v_k g'(lambda_k)
    network_head<F>* head = nullptr;

    network_ref() = default;
    network_ref(mat_view<T, P, N> W_, vec_view<T, P> v_, vec_view<T, P> b_, vec_view<C, P> lambda_,
                vec_view<C, P> g_, vec_view<C, P> delta_, network_head<F>* head_)
        : W(W_), v(v_), b(b_), lambda(lambda_), g(g_), delta(delta_), head(head_) {}
    // A static reference converts to a dynamic one (host code written once for any size).
    template <index_t N2, index_t P2>
    network_ref(const network_ref<F, N2, P2, Act>& o)
        : W(o.W), v(o.v), b(o.b), lambda(o.lambda), g(o.g), delta(o.delta), head(o.head) {}

    index_t inputs() const { return W.cols(); }
    index_t hidden() const { return W.rows(); }
    // Weights changed outside a trainer: forget the bound on |W| and any pre-activations computed
    // ahead by a fused SGD step. Call it after writing W or b through this reference.
    void invalidate_weight_bound() const {
        head->w_absmax_bound = C(-1);
        head->lambda_ahead = false;
    }
};

// 1/sqrt(N) in T, the scale of every pre-activation.
template <class T>
inline T inv_sqrt(index_t n) {
    return T(1) / math::sqrt(T(n));
}

// The forward pass from its pre-activations: lambda (bias included) in the cache, fills g,
// stores and returns yhat.
template <class F, index_t N, index_t P, class Act, class Arch = arch::default_arch>
compute_t<F> forward_from_lambda(const network_ref<F, N, P, Act>& net, Arch arch = {}) {
    using C = compute_t<F>;
    activate(Act{}, vec_view<const C, P>(net.lambda), net.g, arch);
    C y(net.head->output_bias_on ? value_of<F>(net.head->output_bias) : C(0));
    for (index_t k = 0; k < net.hidden(); ++k) y += value_of<F>(net.v[k]) * net.g[k];
    net.head->yhat = y;
    return y;
}

// lambda_k += b_k when the network uses hidden biases.
template <class F, index_t N, index_t P, class Act>
void add_hidden_bias(const network_ref<F, N, P, Act>& net) {
    if (!net.head->hidden_bias) return;
    for (index_t k = 0; k < net.hidden(); ++k) net.lambda[k] = net.lambda[k] + value_of<F>(net.b[k]);
}

// Forward pass: fills lambda and g, stores and returns yhat.
template <class F, index_t N, index_t P, class Act, index_t EX, class Arch = arch::default_arch>
compute_t<F> forward(const network_ref<F, N, P, Act>& net, vec_view<const storage_t<F>, EX> x, Arch arch = {}) {
    static_assert(EX == dynamic_extent || N == dynamic_extent || EX == N,
                  "forward: the sample has a different number of inputs than the network");
    using C = compute_t<F>;
    net.head->lambda_ahead = false;  // lambda is overwritten
    const mat_view<const storage_t<F>, P, N> W(net.W);
    if (net.head->hidden_bias) {
        gemv_bias(W, x, vec_view<const storage_t<F>, P>(net.b), net.lambda, inv_sqrt<C>(net.inputs()), arch);
    } else {
        gemv(W, x, net.lambda, inv_sqrt<C>(net.inputs()), arch);
    }
    return forward_from_lambda(net, arch);
}

// Backward signal after forward: delta_k = d yhat / d lambda_k = v_k g'(lambda_k).
template <class F, index_t N, index_t P, class Act>
void backward_signal(const network_ref<F, N, P, Act>& net) {
    for (index_t k = 0; k < net.hidden(); ++k) {
        if constexpr (has_d1_from_value<Act>::value) {
            net.delta[k] = value_of<F>(net.v[k]) * Act::d1_from_value(net.g[k]);  // same bits as d1
        } else {
            net.delta[k] = value_of<F>(net.v[k]) * Act::d1(net.lambda[k]);
        }
    }
}

// Owning network. Sizes are template parameters; the object holds weights and forward cache.
template <class F, index_t N, index_t P, class Act = act::erf>
class network {
    static_assert(N >= 1, "twolayer::network<F, N, P>: N (inputs) must be at least 1");
    static_assert(P >= 1, "twolayer::network<F, N, P>: P (hidden units) must be at least 1");
    static_assert(format_traits<F>::max >= 4.0,
                  "twolayer::network<F, N, P>: the format must hold values up to at least 4 (Gaussian "
                  "inputs and weights); for 16/32-bit fixed point use q3_12 / q4_27, not q15 / q31");

    using T = storage_t<F>;
    using C = compute_t<F>;

public:
    using format = F;
    using value_type = T;
    using compute_type = C;
    using activation = Act;
    using ref_type = network_ref<F, N, P, Act>;
    static constexpr index_t inputs() { return N; }
    static constexpr index_t hidden() { return P; }
    static constexpr index_t parameter_count() { return P * N + 2 * P + 1; }

    network() {
        fill(W_.view().flat(), T{});
        fill(v_.view(), store_as<F>(C(1)));
        fill(b_.view(), T{});
        fill(lambda_.view(), C(0));
        fill(g_.view(), C(0));
        fill(delta_.view(), C(0));
    }

    ref_type ref() {
        return {W_.view(), v_.view(), b_.view(), lambda_.view(), g_.view(), delta_.view(), &head_};
    }

    // Read access.
    mat_view<const T, P, N> W() const { return W_.view(); }
    vec_view<const T, P> v() const { return v_.view(); }
    vec_view<const T, P> hidden_bias() const { return b_.view(); }
    T output_bias() const { return head_.output_bias; }
    vec_view<const C, P> lambda() const { return lambda_.view(); }
    vec_view<const C, P> g() const { return g_.view(); }
    C output() const { return head_.yhat; }
    bool uses_hidden_bias() const { return head_.hidden_bias; }
    bool uses_output_bias() const { return head_.output_bias_on; }

    // Write access (invalidates the trainer's bound on |W|).
    // (W and b also drop pre-activations computed ahead by a fused SGD step; v and c do not
    // enter them.)
    mat_view<T, P, N> W_mut() {
        head_.w_absmax_bound = C(-1);
        head_.lambda_ahead = false;
        return W_.view();
    }
    vec_view<T, P> v_mut() { return v_.view(); }
    vec_view<T, P> hidden_bias_mut() { head_.lambda_ahead = false; return b_.view(); }
    void set_output_bias(T c) { head_.output_bias = c; }
    void use_hidden_bias(bool on) { head_.lambda_ahead = false; head_.hidden_bias = on; }
    void use_output_bias(bool on) { head_.output_bias_on = on; }

    template <index_t EX, class Arch = arch::default_arch>
    C forward(vec_view<const T, EX> x, Arch a = {}) { return twolayer::forward(ref(), x, a); }
    C forward(const T (&x)[N]) { return forward(vec_view<const T, N>(x, N)); }

private:
    mat<T, P, N> W_;
    vec<T, P> v_;
    vec<T, P> b_;
    vec<C, P> lambda_;
    vec<C, P> g_;
    vec<C, P> delta_;
    network_head<F> head_;
};

// Trainers accept a network or a reference to one.
template <class F, index_t N, index_t P, class Act>
network_ref<F, N, P, Act> to_ref(network<F, N, P, Act>& net) { return net.ref(); }
template <class F, index_t N, index_t P, class Act>
const network_ref<F, N, P, Act>& to_ref(const network_ref<F, N, P, Act>& r) { return r; }

}  // namespace twolayer
