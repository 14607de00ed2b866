// Gradient accumulators for batch training, and the backward pass that fills them. Gradients
// are sums in the compute type C (compute_t of the network's format).
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

// Gradient sums as views (static or run-time extents).
template <class C, index_t N, index_t P>
struct gradients_ref {
    mat_view<C, P, N> dW;
    vec_view<C, P> dv;
    vec_view<C, P> db;   // hidden biases
    C* dc = nullptr;     // output bias

    gradients_ref() = default;
    gradients_ref(mat_view<C, P, N> dW_, vec_view<C, P> dv_, vec_view<C, P> db_, C* dc_)
        : dW(dW_), dv(dv_), db(db_), dc(dc_) {}
    // A static reference converts to a dynamic one.
    template <index_t N2, index_t P2>
    gradients_ref(const gradients_ref<C, N2, P2>& o) : dW(o.dW), dv(o.dv), db(o.db), dc(o.dc) {}

    // Every sum back to 0.
    void zero() const {
        fill(dW.flat(), C(0));
        fill(dv, C(0));
        fill(db, C(0));
        *dc = C(0);
    }
};

// Gradient sums of a network<F, N, P, ...> in C = compute_t<F>, inside the object.
template <class C, index_t N, index_t P>
struct gradients {
    mat<C, P, N> dW;
    vec<C, P> dv;
    vec<C, P> db;
    C dc = C(0);
    // The sums as views (what to_ref gives).
    gradients_ref<C, N, P> ref() { return {dW.view(), dv.view(), db.view(), &dc}; }
    // Every sum back to 0.
    void zero() { ref().zero(); }
};

// Functions take gradients or a gradients_ref: to_ref gives the reference of either.
template <class C, index_t N, index_t P>
gradients_ref<C, N, P> to_ref(gradients<C, N, P>& g) { return g.ref(); }
template <class C, index_t N, index_t P>
const gradients_ref<C, N, P>& to_ref(const gradients_ref<C, N, P>& g) { return g; }

// After forward(net, x): adds dl * d yhat / d theta to the gradients, dl = d loss / d yhat.
//   dW_k += dl v_k g'(lambda_k) x / sqrt(N),  dv_k += dl g(lambda_k),  db_k += dl v_k g'(lambda_k),
//   dc += dl.
// net: a network or a network_ref; x: the sample of that forward pass (a vec_view or an array);
// grads: gradients or a gradients_ref in the network's compute type. Fills the backward cache.
template <class Net, class X, class Grads, class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_vector_like_v<X>, int> = 0>
void accumulate_gradients(Net&& n, const X& x, compute_t<format_of_t<Net>> dl, Grads&& grads_, Arch arch = {}) {
    using F = format_of_t<Net>;
    using C = compute_t<F>;
    constexpr index_t P = ref_of_t<Net>::p_extent;
    static_assert(std::is_same<element_of_t<X>, storage_t<F>>::value,
                  "accumulate_gradients: the sample's element type is not the network's storage type");
    const auto& net = to_ref(n);
    const auto& grads = to_ref(grads_);
    static_assert(std::is_same<std::remove_reference_t<decltype(*grads.dc)>, C>::value,
                  "accumulate_gradients: the gradients are not in the network's compute type");
    backward_signal(net);
    rank1_update(grads.dW, vec_view<const C, P>(net.delta), as_const_view(x), C(dl * inv_sqrt<C>(net.inputs())),
                 C(1), arch);
    for (index_t k = 0; k < net.hidden(); ++k) {
        grads.dv[k] = grads.dv[k] + dl * net.g[k];
        grads.db[k] = grads.db[k] + dl * net.delta[k];
    }
    *grads.dc = *grads.dc + dl;
}

}  // namespace twolayer
