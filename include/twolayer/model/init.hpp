// Initializations: Gaussian first layer, second layer 1, 1/P, 1/sqrt(P) or given values.
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

enum class second_layer_init : std::uint8_t { one, inv_p, inv_sqrt_p };

// W_kj ~ N(0, stddev^2). Gen: anything with template <class T> T gaussian() (gaussian_rng).
template <class T, index_t N, index_t P, class Act, class Gen>
void init_first_layer_gaussian(const network_ref<T, N, P, Act>& net, Gen& gen, T stddev = T(1)) {
    for (index_t i = 0; i < net.W.size(); ++i) net.W.data()[i] = stddev * gen.template gaussian<T>();
    net.invalidate_weight_bound();
}

template <class T, index_t N, index_t P, class Act>
void init_second_layer(const network_ref<T, N, P, Act>& net, second_layer_init how) {
    const T p = T(net.hidden());
    const T value = how == second_layer_init::one ? T(1)
                  : how == second_layer_init::inv_p ? T(1) / p
                                                    : T(1) / math::sqrt(p);
    fill(net.v, value);
}

template <class T, index_t N, index_t P, class Act, index_t E>
void set_second_layer(const network_ref<T, N, P, Act>& net, vec_view<const T, E> values) {
    static_assert(E == dynamic_extent || P == dynamic_extent || E == P,
                  "set_second_layer: need exactly P values");
    for (index_t k = 0; k < net.hidden(); ++k) net.v[k] = values[k];
}

// Gaussian first layer (stddev 1), second layer as asked, biases zero.
template <class T, index_t N, index_t P, class Act, class Gen>
void init_network(const network_ref<T, N, P, Act>& net, Gen& gen,
                  second_layer_init how = second_layer_init::one) {
    init_first_layer_gaussian(net, gen);
    init_second_layer(net, how);
    fill(net.b, T(0));
    net.head->output_bias = T(0);
}

}  // namespace twolayer
