// A network whose first layer is read-only (const views, e.g. flash) and whose readout lives in
// RAM: what the readout trainers (train/readout_gd.hpp, train/readout_ridge.hpp) take, with
// networks and network_refs.
#pragma once

#include <type_traits>

#include "twolayer/model/flash_weights.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/model/network_types.hpp"

namespace twolayer {

namespace detail {
template <class Net>
struct readout_access;
}  // namespace detail

// A network whose first layer is read-only: W (P x N) and, optionally, the hidden biases are const
// views of the caller's storage (e.g. const arrays in flash), which must outlive it; v, c and the
// forward cache are inside the object. Made from the first layer's views it starts with v = 1,
// c = 0 and the output bias off; made from a network's flash_weights (e.g. the arrays `twolayer
// export` writes) it reads W and b in place and starts from a copy of their v and c (P + 1 values
// into RAM: the readout is what retrains). For inference (forward) and the readout trainers below,
// which take it where they take a network.
template <class F, index_t N, index_t P, class Act = act::erf>
class readout_network : public network_types<F, N, P, Act> {
    using S = storage_t<F>;
    using C = compute_t<F>;

public:
    // W: the frozen first layer; b: its hidden biases (a null view: none).
    explicit readout_network(mat_view<const S, P, N> W, vec_view<const S, P> b = {}) : W_(W), b_(b) {
        fill(v_.view(), store_as<F>(C(1)));
        fill(b_zero_.view(), S{});
        fill(lambda_.view(), C(0));
        fill(g_.view(), C(0));
        fill(delta_.view(), C(0));
        head_.use_hidden_bias(b.data() != nullptr);
    }
    // w's first layer (W, b) read in place; its v, and its c with the output bias on when w has
    // one, copied in as the readout's starting point. w's arrays must outlive the network; the
    // copies are the network's own, so retraining never writes w.
    explicit readout_network(const flash_weights<F, N, P>& w) : readout_network(w.W, w.b) {
        for (index_t k = 0; k < P; ++k) v_.view()[k] = w.v[k];
        if (w.has_output_bias()) {
            head_.output_bias = *w.c;
            head_.use_output_bias(true);
        }
    }

    // The frozen first layer and its hidden biases (zeros when there are none), read-only; the
    // readout v, c and the output bias switch, writable; the activations of the last forward pass.
    mat_view<const S, P, N> W() const { return W_; }
    vec_view<const S, P> hidden_bias() const { return b_.data() ? b_ : b_zero_.view(); }
    bool uses_hidden_bias() const { return head_.hidden_bias_on(); }
    vec_view<const S, P> v() const { return v_.view(); }
    vec_view<S, P> v_mut() { return v_.view(); }
    S output_bias() const { return head_.output_bias; }
    void set_output_bias(S c) { head_.output_bias = c; }
    bool uses_output_bias() const { return head_.output_bias_on(); }
    void use_output_bias(bool on) { head_.use_output_bias(on); }
    vec_view<const C, P> g() const { return g_.view(); }

    // The output on x (a vec_view or an array of N values of S): twolayer::forward's contract.
    template <class X, class Arch = arch::default_arch, std::enable_if_t<is_vector_like_v<X>, int> = 0>
    C forward(const X& x, Arch a = {}) {
        static_assert(std::is_same<element_of_t<X>, S>::value,
                      "readout_network::forward: the sample's element type is not the network's storage type");
        return detail::checked_forward(ref(), as_const_view(x), a);
    }

private:
    template <class Net>
    friend struct detail::readout_access;
    // The views the library's passes take. W and b are const_cast only because network_ref's
    // views are writable; the readout paths never write them (the plans switch them off).
    network_ref<F, N, P, Act> ref() {
        const vec_view<const S, P> b = hidden_bias();
        return {mat_view<S, P, N>(const_cast<S*>(W_.data())), v_.view(), vec_view<S, P>(const_cast<S*>(b.data())),
                lambda_.view(), g_.view(), delta_.view(), &head_};
    }

    mat_view<const S, P, N> W_;
    vec_view<const S, P> b_;
    vec<S, P> v_;
    vec<S, P> b_zero_;  // what the views show as b when there are no hidden biases
    vec<C, P> lambda_, g_, delta_;
    network_head<F> head_;
};

namespace detail {
// The network_ref the readout paths work on: a network's or network_ref's own, or a
// readout_network's (whose first layer is const).
template <class Net>
struct readout_access {
    static auto ref(Net& n) { return to_ref(n); }
};
template <class F, index_t N, index_t P, class Act>
struct readout_access<readout_network<F, N, P, Act>> {
    static network_ref<F, N, P, Act> ref(readout_network<F, N, P, Act>& n) { return n.ref(); }
};
template <class Net>
auto readout_ref(Net& n) {
    return readout_access<std::remove_const_t<Net>>::ref(n);
}
template <class Net>
struct readout_like : network_like<Net> {};
template <class F, index_t N, index_t P, class Act>
struct readout_like<readout_network<F, N, P, Act>> : std::true_type {};
}  // namespace detail

// Net is a network, a network_ref or a readout_network.
template <class Net>
inline constexpr bool is_readout_target_v = detail::readout_like<std::remove_cv_t<std::remove_reference_t<Net>>>::value;
// The format of such a Net.
template <class Net>
using readout_format_t = typename decltype(detail::readout_ref(std::declval<std::remove_reference_t<Net>&>()))::format;

}  // namespace twolayer
