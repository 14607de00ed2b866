// From run-time names to the chain templates, for one format F: every activation, online or
// batch, and the rounding / master variants the format has. Each format's translation unit
// (sim/formats/*.cpp) instantiates this once, so the build parallelizes over formats and no unit
// holds all of them.
#pragma once
#include <memory>

#include "batch_chain.hpp"
#include "online_chain.hpp"

namespace twolayer::tool {

namespace detail {
// The chain of mode Chain for F and Act with the rounding and master the settings name (narrow
// formats; float and double have one variant: check_settings refused the others).
template <template <class, class, class, bool> class Chain, class F, class Act>
std::unique_ptr<chain> chain_variant(const chain_inputs& in) {
    if constexpr (is_native_v<F>) {
        return std::make_unique<Chain<F, Act, round_nearest, false>>(in);
    } else {
        if (in.settings.master) return std::make_unique<Chain<F, Act, round_nearest, true>>(in);
        if (in.settings.rounding == rounding_mode::stochastic)
            return std::make_unique<Chain<F, Act, stochastic_rounding, false>>(in);
        return std::make_unique<Chain<F, Act, round_nearest, false>>(in);
    }
}
}  // namespace detail

/// The chain of format F for the settings' student activation, mode, rounding and master.
template <class F>
std::unique_ptr<chain> make_chain_for(const chain_inputs& in) {
    return with_activation(in.settings.model.act, [&](auto a) -> std::unique_ptr<chain> {
        using Act = decltype(a);
        if (in.settings.samples == 0) return detail::chain_variant<online_chain, F, Act>(in);
        return detail::chain_variant<batch_chain, F, Act>(in);
    });
}

}  // namespace twolayer::tool
