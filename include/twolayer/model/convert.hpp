// A network copied into another number format: train in double on a host, deploy in Q3.12 or
// bf16 on the device (each value rounded to nearest; fixed-point saturations are counted by the
// target type's counters and reported here).
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

// d in format F, rounded to nearest (saturating for fixed point).
template <class F>
inline storage_t<F> convert_value(double d) { return format_traits<F>::from_double(d); }

// Copies every parameter of `from` into `to` (networks or network_refs of the same sizes and
// activation, any formats), and which biases are used. `to` forgets its bound on |W| and any
// pre-activations computed ahead. Returns the number of values that saturated (fixed point
// only; 0 otherwise).
template <class From, class To, std::enable_if_t<is_network_v<From> && is_network_v<To>, int> = 0>
std::uint32_t convert_network(const From& from_net, To&& to_net) {
    using FFrom = format_of_t<From>;
    using FTo = format_of_t<To>;
    using RF = ref_of_t<From>;
    using RT = ref_of_t<To>;
    static_assert((RF::n_extent == RT::n_extent || RF::n_extent == dynamic_extent || RT::n_extent == dynamic_extent) &&
                      (RF::p_extent == RT::p_extent || RF::p_extent == dynamic_extent || RT::p_extent == dynamic_extent),
                  "convert_network: the networks have different sizes");
    static_assert(std::is_same<typename RF::activation, typename RT::activation>::value,
                  "convert_network: the networks have different activations");
    const auto& from = read_ref(from_net);
    const auto& to = to_ref(to_net);
    std::uint32_t before = 0;
    if constexpr (format_traits<FTo>::is_fixed) before = storage_t<FTo>::counters().saturations;
    auto conv = [](storage_t<FFrom> x) { return convert_value<FTo>(format_traits<FFrom>::to_double(x)); };
    for (index_t i = 0; i < to.W.size(); ++i) to.W.data()[i] = conv(from.W.data()[i]);
    for (index_t k = 0; k < to.hidden(); ++k) {
        to.v[k] = conv(from.v[k]);
        to.b[k] = conv(from.b[k]);
    }
    to.head->output_bias = conv(from.head->output_bias);
    to.head->use_hidden_bias(from.head->hidden_bias_on());
    to.head->use_output_bias(from.head->output_bias_on());
    to.weights_changed();
    if constexpr (format_traits<FTo>::is_fixed) return storage_t<FTo>::counters().saturations - before;
    return 0;
}

}  // namespace twolayer
