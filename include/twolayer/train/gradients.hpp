// Gradient accumulators for batch training, and the backward pass that fills them. Gradients
// are sums in the arithmetic type (compute_t of the network's format).
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

template <class T, index_t N, index_t P>
struct gradients_ref {
    mat_view<T, P, N> dW;
    vec_view<T, P> dv;
    vec_view<T, P> db;   // hidden biases
    T* dc = nullptr;     // output bias

    gradients_ref() = default;
    gradients_ref(mat_view<T, P, N> dW_, vec_view<T, P> dv_, vec_view<T, P> db_, T* dc_)
        : dW(dW_), dv(dv_), db(db_), dc(dc_) {}
    template <index_t N2, index_t P2>
    gradients_ref(const gradients_ref<T, N2, P2>& o) : dW(o.dW), dv(o.dv), db(o.db), dc(o.dc) {}

    void zero() const {
        fill(dW.flat(), T(0));
        fill(dv, T(0));
        fill(db, T(0));
        *dc = T(0);
    }
};

template <class T, index_t N, index_t P>
struct gradients {
    mat<T, P, N> dW;
    vec<T, P> dv;
    vec<T, P> db;
    T dc = T(0);
    gradients_ref<T, N, P> ref() { return {dW.view(), dv.view(), db.view(), &dc}; }
};

// After forward(net, x): adds dl * d yhat / d theta to the gradients, dl = d loss / d yhat.
//   dW_k += dl v_k g'(lambda_k) x / sqrt(N),  dv_k += dl g(lambda_k),  db_k += dl v_k g'(lambda_k),
//   dc += dl.
template <class F, index_t N, index_t P, class Act, index_t EX, index_t GN, index_t GP,
          class Arch = arch::default_arch>
void accumulate_gradients(const network_ref<F, N, P, Act>& net, vec_view<const storage_t<F>, EX> x,
                          compute_t<F> dl, const gradients_ref<compute_t<F>, GN, GP>& grads, Arch arch = {}) {
    using T = compute_t<F>;
    backward_signal(net);
    rank1_update(grads.dW, vec_view<const T, P>(net.delta), x, T(dl * inv_sqrt<T>(net.inputs())),
                          T(1), arch);
    for (index_t k = 0; k < net.hidden(); ++k) {
        grads.dv[k] = grads.dv[k] + dl * net.g[k];
        grads.db[k] = grads.db[k] + dl * net.delta[k];
    }
    *grads.dc = *grads.dc + dl;
}

}  // namespace twolayer
