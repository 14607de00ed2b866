// The two-layer network: N inputs, P hidden units, one output.
//   lambda_k = w_k . x / sqrt(N) (+ b_k),   yhat = sum_k v_k g(lambda_k) (+ c)
// network<T, N, P, Act> owns every byte it uses (weights and the forward cache) inside the object;
// network_ref is the same thing as views, the currency of kernels and trainers, so the host can
// run any N and P at run time on storage it owns (src/dynamic_network.hpp).
#pragma once
#include "twolayer/arch/tags.hpp"
#include "twolayer/core/math.hpp"
#include "twolayer/core/storage.hpp"
#include "twolayer/kernels/scalar.hpp"
#include "twolayer/model/activation.hpp"

namespace twolayer {

// The scalars of a network: output bias, last output, which biases are used, and a conservative
// upper bound on max |W_kj| that lets the guarded SGD step prove an update finite in O(N + P)
// instead of an extra pass over W (negative = unknown, recomputed when needed).
template <class T>
struct network_head {
    T output_bias = T(0);
    T yhat = T(0);
    T w_absmax_bound = T(-1);
    bool hidden_bias = false;
    bool output_bias_on = false;
};

template <class T, index_t N, index_t P, class Act>
struct network_ref {
    using value_type = T;
    using activation = Act;
    static constexpr index_t n_extent = N;
    static constexpr index_t p_extent = P;

    mat_view<T, P, N> W;       // first layer, row k = w_k
    vec_view<T, P> v;          // second layer
    vec_view<T, P> b;          // hidden biases (used when head->hidden_bias)
    vec_view<T, P> lambda;     // forward cache: pre-activations
    vec_view<T, P> g;          // forward cache: g(lambda)
    vec_view<T, P> delta;      // backward cache: d yhat / d lambda_k = v_k g'(lambda_k)
    network_head<T>* head = nullptr;

    network_ref() = default;
    network_ref(mat_view<T, P, N> W_, vec_view<T, P> v_, vec_view<T, P> b_, vec_view<T, P> lambda_,
                vec_view<T, P> g_, vec_view<T, P> delta_, network_head<T>* head_)
        : W(W_), v(v_), b(b_), lambda(lambda_), g(g_), delta(delta_), head(head_) {}
    // A static reference converts to a dynamic one (host code written once for any size).
    template <index_t N2, index_t P2>
    network_ref(const network_ref<T, N2, P2, Act>& o)
        : W(o.W), v(o.v), b(o.b), lambda(o.lambda), g(o.g), delta(o.delta), head(o.head) {}

    index_t inputs() const { return W.cols(); }
    index_t hidden() const { return W.rows(); }
    // Weights changed outside a trainer: forget the bound on |W|.
    void invalidate_weight_bound() const { head->w_absmax_bound = T(-1); }
};

// 1/sqrt(N) in T, the scale of every pre-activation.
template <class T>
inline T inv_sqrt(index_t n) {
    return T(1) / math::sqrt(T(n));
}

// Forward pass: fills lambda and g, stores and returns yhat.
template <class T, index_t N, index_t P, class Act, index_t EX, class Arch = arch::default_arch>
T forward(const network_ref<T, N, P, Act>& net, vec_view<const T, EX> x, Arch arch = {}) {
    static_assert(EX == dynamic_extent || N == dynamic_extent || EX == N,
                  "forward: the sample has a different number of inputs than the network");
    gemv(mat_view<const T, P, N>(net.W), x, net.lambda, inv_sqrt<T>(net.inputs()), arch);
    const bool hb = net.head->hidden_bias;
    accum_t<T> y(net.head->output_bias_on ? net.head->output_bias : T(0));
    for (index_t k = 0; k < net.hidden(); ++k) {
        if (hb) net.lambda[k] = net.lambda[k] + net.b[k];
        net.g[k] = Act::value(net.lambda[k]);
        y += accum_t<T>(net.v[k]) * accum_t<T>(net.g[k]);
    }
    net.head->yhat = T(y);
    return net.head->yhat;
}

// Backward signal after forward: delta_k = d yhat / d lambda_k = v_k g'(lambda_k).
template <class T, index_t N, index_t P, class Act>
void backward_signal(const network_ref<T, N, P, Act>& net) {
    for (index_t k = 0; k < net.hidden(); ++k) net.delta[k] = net.v[k] * Act::d1(net.lambda[k]);
}

// Owning network. Sizes are template parameters; the object holds weights and forward cache.
template <class T, index_t N, index_t P, class Act = act::erf>
class network {
    static_assert(N >= 1, "twolayer::network<T, N, P>: N (inputs) must be at least 1");
    static_assert(P >= 1, "twolayer::network<T, N, P>: P (hidden units) must be at least 1");

public:
    using value_type = T;
    using activation = Act;
    using ref_type = network_ref<T, N, P, Act>;
    static constexpr index_t inputs() { return N; }
    static constexpr index_t hidden() { return P; }
    static constexpr index_t parameter_count() { return P * N + 2 * P + 1; }

    network() {
        fill(W_.view().flat(), T(0));
        fill(v_.view(), T(1));
        fill(b_.view(), T(0));
        fill(lambda_.view(), T(0));
        fill(g_.view(), T(0));
        fill(delta_.view(), T(0));
    }

    ref_type ref() {
        return {W_.view(), v_.view(), b_.view(), lambda_.view(), g_.view(), delta_.view(), &head_};
    }

    // Read access.
    mat_view<const T, P, N> W() const { return W_.view(); }
    vec_view<const T, P> v() const { return v_.view(); }
    vec_view<const T, P> hidden_bias() const { return b_.view(); }
    T output_bias() const { return head_.output_bias; }
    vec_view<const T, P> lambda() const { return lambda_.view(); }
    vec_view<const T, P> g() const { return g_.view(); }
    T output() const { return head_.yhat; }
    bool uses_hidden_bias() const { return head_.hidden_bias; }
    bool uses_output_bias() const { return head_.output_bias_on; }

    // Write access (invalidates the trainer's bound on |W|).
    mat_view<T, P, N> W_mut() { head_.w_absmax_bound = T(-1); return W_.view(); }
    vec_view<T, P> v_mut() { return v_.view(); }
    vec_view<T, P> hidden_bias_mut() { return b_.view(); }
    void set_output_bias(T c) { head_.output_bias = c; }
    void use_hidden_bias(bool on) { head_.hidden_bias = on; }
    void use_output_bias(bool on) { head_.output_bias_on = on; }

    template <index_t EX, class Arch = arch::default_arch>
    T forward(vec_view<const T, EX> x, Arch a = {}) { return twolayer::forward(ref(), x, a); }
    T forward(const T (&x)[N]) { return forward(vec_view<const T, N>(x, N)); }

private:
    mat<T, P, N> W_;
    vec<T, P> v_;
    vec<T, P> b_;
    vec<T, P> lambda_;
    vec<T, P> g_;
    vec<T, P> delta_;
    network_head<T> head_;
};

// Trainers accept a network or a reference to one.
template <class T, index_t N, index_t P, class Act>
network_ref<T, N, P, Act> to_ref(network<T, N, P, Act>& net) { return net.ref(); }
template <class T, index_t N, index_t P, class Act>
const network_ref<T, N, P, Act>& to_ref(const network_ref<T, N, P, Act>& r) { return r; }

}  // namespace twolayer
