// Initializations: Gaussian first layer, second layer 1, 1/P, 1/sqrt(P) or given values.
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

enum class second_layer_init : std::uint8_t { one, inv_p, inv_sqrt_p };

// W_kj ~ N(0, stddev^2), drawn in the arithmetic type and stored to nearest (low-precision
// formats get the rounded draws). Gen: anything with template <class T> T gaussian()
// (gaussian_rng).
template <class F, index_t N, index_t P, class Act, class Gen>
void init_first_layer_gaussian(const network_ref<F, N, P, Act>& net, Gen& gen,
                               compute_t<F> stddev = compute_t<F>(1)) {
    using C = compute_t<F>;
    for (index_t i = 0; i < net.W.size(); ++i) net.W.data()[i] = store_as<F>(stddev * gen.template gaussian<C>());
    net.invalidate_weight_bound();
}

template <class F, index_t N, index_t P, class Act>
void init_second_layer(const network_ref<F, N, P, Act>& net, second_layer_init how) {
    using C = compute_t<F>;
    const C p = C(net.hidden());
    const C value = how == second_layer_init::one ? C(1)
                  : how == second_layer_init::inv_p ? C(1) / p
                                                    : C(1) / math::sqrt(p);
    fill(net.v, store_as<F>(value));
}

template <class F, index_t N, index_t P, class Act, index_t E>
void set_second_layer(const network_ref<F, N, P, Act>& net, vec_view<const storage_t<F>, E> values) {
    static_assert(E == dynamic_extent || P == dynamic_extent || E == P,
                  "set_second_layer: need exactly P values");
    for (index_t k = 0; k < net.hidden(); ++k) net.v[k] = values[k];
}

// Gaussian first layer (stddev 1), second layer as asked, biases zero.
template <class F, index_t N, index_t P, class Act, class Gen>
void init_network(const network_ref<F, N, P, Act>& net, Gen& gen,
                  second_layer_init how = second_layer_init::one) {
    init_first_layer_gaussian(net, gen);
    init_second_layer(net, how);
    fill(net.b, storage_t<F>{});
    net.head->output_bias = storage_t<F>{};
}

}  // namespace twolayer
