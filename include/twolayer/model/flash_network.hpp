// The network for inference from flash: every weight read in place from const storage (the
// arrays `twolayer export` writes), only the forward cache and the head in RAM. Its forward pass
// is network<F, N, P, Act>'s on the same values, bit for bit (the same pass on the same views).
#pragma once

#include <type_traits>

#include "twolayer/model/flash_weights.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/model/network_types.hpp"

namespace twolayer {

// A network whose parameters all live in the caller's const storage (flash_weights: W, v and,
// when given, b and c), which must outlive it. Inference only: nothing can write a weight, and no
// trainer takes it (train/readout_network.hpp is the type whose readout trains in RAM). Inside
// the object: the forward cache (pre-activations, activations and the backward slot the
// library's passes expect, 3 P values of compute_t<F>), the four views and the head, which
// holds a copy of c because the forward pass reads the output bias there: 3 P sizeof(C) plus a few
// dozen bytes of RAM, whatever N.
template <class F, index_t N, index_t P, class Act = act::erf>
class flash_network : public network_types<F, N, P, Act> {
    static_assert(N >= 1, "twolayer::flash_network<F, N, P>: N (inputs) must be at least 1");
    static_assert(P >= 1, "twolayer::flash_network<F, N, P>: P (hidden units) must be at least 1");
    static_assert(require_format<F>::value, "twolayer::flash_network<F, N, P>: F is not a complete number format");
    static_assert(N <= max_dot_length_v<F>,
                  "twolayer::flash_network<F, N, P>: N exceeds max_dot_length_v<F>: a dot product of N inputs "
                  "could overflow the format's int64 accumulator");
    using S = storage_t<F>;
    using C = compute_t<F>;

public:
    // Reads every parameter from w's views (nothing is copied but c, into the head).
    explicit flash_network(const flash_weights<F, N, P>& w) : w_(w) {
        fill(lambda_.view(), C(0));
        fill(g_.view(), C(0));
        fill(delta_.view(), C(0));
        head_.use_hidden_bias(w.has_hidden_bias());
        head_.use_output_bias(w.has_output_bias());
        if (w.has_output_bias()) head_.output_bias = *w.c;
    }

    // The parameters, read-only (the hidden biases are zeros in flash when there are none; the
    // output bias is 0 when there is none); the cache of the last forward pass.
    const flash_weights<F, N, P>& weights() const { return w_; }
    mat_view<const S, P, N> W() const { return w_.W; }
    vec_view<const S, P> v() const { return w_.v; }
    vec_view<const S, P> hidden_bias() const { return w_.has_hidden_bias() ? w_.b : vec_view<const S, P>(zero_bias); }
    S output_bias() const { return head_.output_bias; }
    bool uses_hidden_bias() const { return head_.hidden_bias_on(); }
    bool uses_output_bias() const { return head_.output_bias_on(); }
    vec_view<const C, P> lambda() const { return lambda_.view(); }
    vec_view<const C, P> g() const { return g_.view(); }
    C output() const { return head_.yhat; }

    // The output on x (a vec_view or an array of N values of S): twolayer::forward's contract
    // (NaN, and nothing written, for a misaligned sample).
    template <class X, class Arch = arch::default_arch, std::enable_if_t<is_vector_like_v<X>, int> = 0>
    C forward(const X& x, Arch a = {}) {
        static_assert(std::is_same<element_of_t<X>, S>::value,
                      "flash_network::forward: the sample's element type is not the network's storage type");
        return detail::checked_forward(ref(), as_const_view(x), a);
    }

private:
    // The views the library's forward pass takes. The parameters are const_cast only because
    // network_ref's views are writable; the forward pass only reads them.
    network_ref<F, N, P, Act> ref() {
        const vec_view<const S, P> b = hidden_bias();
        return {mat_view<S, P, N>(const_cast<S*>(w_.W.data())), vec_view<S, P>(const_cast<S*>(w_.v.data())),
                vec_view<S, P>(const_cast<S*>(b.data())), lambda_.view(), g_.view(), delta_.view(), &head_};
    }

    // What hidden_bias() shows without hidden biases: in flash, not RAM.
    static constexpr S zero_bias[P] = {};

    flash_weights<F, N, P> w_;
    vec<C, P> lambda_, g_, delta_;
    network_head<F> head_;
};

}  // namespace twolayer
