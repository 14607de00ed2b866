// Initializations: Gaussian first layer, second layer 1, 1/P, 1/sqrt(P) or given values. Each
// function takes a network or a network_ref.
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

// The second layer's initial value: 1 (the soft committee machine), 1/P or 1/sqrt(P).
enum class second_layer_init : std::uint8_t { one, inv_p, inv_sqrt_p };

// W_kj ~ N(0, stddev^2), drawn in the compute type and stored to nearest (low-precision formats
// get the rounded draws). Gen: anything with template <class C> C gaussian() (gaussian_rng,
// gaussian_block). Forgets the bound on |W| and the pre-activations computed ahead.
template <class Net, class Gen, std::enable_if_t<is_network_v<Net>, int> = 0>
void init_first_layer_gaussian(Net&& n, Gen& gen, compute_t<format_of_t<Net>> stddev = 1) {
    using F = format_of_t<Net>;
    using C = compute_t<F>;
    const auto& net = to_ref(n);
    for (index_t i = 0; i < net.W.size(); ++i) net.W.data()[i] = store_as<F>(stddev * gen.template gaussian<C>());
    net.weights_changed();
}

// Every v_k set to 1, 1/P or 1/sqrt(P), stored to nearest.
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
void init_second_layer(Net&& n, second_layer_init how) {
    using F = format_of_t<Net>;
    using C = compute_t<F>;
    const auto& net = to_ref(n);
    const C p = C(net.hidden());
    const C value = how == second_layer_init::one ? C(1)
                  : how == second_layer_init::inv_p ? C(1) / p
                                                    : C(1) / math::sqrt(p);
    fill(net.v, store_as<F>(value));
}

// v = values (a vec_view or an array of exactly P values of the storage type).
template <class Net, class V, std::enable_if_t<is_network_v<Net> && is_vector_like_v<V>, int> = 0>
void set_second_layer(Net&& n, const V& values) {
    using R = ref_of_t<Net>;
    constexpr index_t E = const_view_t<V>::extent;
    static_assert(E == dynamic_extent || R::p_extent == dynamic_extent || E == R::p_extent,
                  "set_second_layer: need exactly P values");
    static_assert(std::is_same<element_of_t<V>, typename R::S>::value,
                  "set_second_layer: the values' type is not the network's storage type");
    const auto& net = to_ref(n);
    const auto vals = as_const_view(values);
    for (index_t k = 0; k < net.hidden(); ++k) net.v[k] = vals[k];
}

// The usual start: Gaussian first layer (stddev 1), second layer as asked, biases zero (whether
// they are used is not changed).
template <class Net, class Gen, std::enable_if_t<is_network_v<Net>, int> = 0>
void init_network(Net&& n, Gen& gen, second_layer_init how = second_layer_init::one) {
    using S = storage_t<format_of_t<Net>>;
    const auto& net = to_ref(n);
    init_first_layer_gaussian(net, gen);
    init_second_layer(net, how);
    fill(net.b, S{});
    net.head->output_bias = S{};
}

}  // namespace twolayer
