// A network copied into another number format: train in double on a host, deploy in Q3.12 or
// bf16 on the device (each value rounded to nearest; fixed-point saturations are counted by the
// target type's counters and reported here).
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

template <class F>
inline storage_t<F> convert_value(double d) { return format_traits<F>::from_double(d); }

// Returns the number of values that saturated (fixed point only; 0 otherwise).
template <class FFrom, class FTo, index_t N, index_t P, class Act>
std::uint32_t convert_network(const network<FFrom, N, P, Act>& from, network<FTo, N, P, Act>& to) {
    std::uint32_t before = 0;
    if constexpr (format_traits<FTo>::is_fixed) before = storage_t<FTo>::counters().saturations;
    auto conv = [](storage_t<FFrom> x) { return convert_value<FTo>(format_traits<FFrom>::to_double(x)); };
    const mat_view<storage_t<FTo>, P, N> W = to.W_mut();
    for (index_t i = 0; i < P * N; ++i) W.data()[i] = conv(from.W().data()[i]);
    for (index_t k = 0; k < P; ++k) {
        to.v_mut()[k] = conv(from.v()[k]);
        to.hidden_bias_mut()[k] = conv(from.hidden_bias()[k]);
    }
    to.set_output_bias(conv(from.output_bias()));
    to.use_hidden_bias(from.uses_hidden_bias());
    to.use_output_bias(from.uses_output_bias());
    if constexpr (format_traits<FTo>::is_fixed) return storage_t<FTo>::counters().saturations - before;
    return 0;
}

}  // namespace twolayer
