// A master copy of the trainable parameters in the arithmetic type, for training a network kept
// in a narrow format: the trainer applies every update to the master copy and then stores the
// master values, rounded to nearest, into the network, so updates too small to change a bf16 or
// Q3.12 weight still accumulate. The network's forward pass and gradients use the stored (narrow)
// weights, as they would on the device; the master costs one C per parameter.
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

template <class C, index_t N, index_t P>
struct master_ref {
    mat_view<C, P, N> W;
    vec_view<C, P> v;
    vec_view<C, P> b;
    C* c = nullptr;
    C* w_absmax_bound = nullptr;  // as network_head::w_absmax_bound, for the master's W

    master_ref() = default;
    master_ref(mat_view<C, P, N> W_, vec_view<C, P> v_, vec_view<C, P> b_, C* c_, C* bound_)
        : W(W_), v(v_), b(b_), c(c_), w_absmax_bound(bound_) {}
    template <index_t N2, index_t P2>
    master_ref(const master_ref<C, N2, P2>& o) : W(o.W), v(o.v), b(o.b), c(o.c), w_absmax_bound(o.w_absmax_bound) {}
};

template <class F, index_t N, index_t P>
class master_weights {
    using C = compute_t<F>;

public:
    master_weights() = default;
    template <class Act>
    explicit master_weights(const network<F, N, P, Act>& net) { load(net); }

    // Copies the network's current parameters (call after initializing or changing it).
    template <class Act>
    void load(const network<F, N, P, Act>& net) {
        for (index_t i = 0; i < P * N; ++i) W_.data[i] = value_of<F>(net.W().data()[i]);
        for (index_t k = 0; k < P; ++k) {
            v_[k] = value_of<F>(net.v()[k]);
            b_[k] = value_of<F>(net.hidden_bias()[k]);
        }
        c_ = value_of<F>(net.output_bias());
        bound_ = C(-1);
    }

    master_ref<C, N, P> ref() { return {W_.view(), v_.view(), b_.view(), &c_, &bound_}; }
    mat_view<const C, P, N> W() const { return W_.view(); }
    vec_view<const C, P> v() const { return v_.view(); }

private:
    mat<C, P, N> W_{};
    vec<C, P> v_{};
    vec<C, P> b_{};
    C c_ = C(0);
    C bound_ = C(-1);
};

}  // namespace twolayer
