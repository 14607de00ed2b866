// A network's parameters as const views of the caller's storage: what a board keeps in flash
// (the constexpr arrays `twolayer export` writes, docs/TOOL.md "export") and what the
// flash-resident networks read in place (model/flash_network.hpp, train/readout_network.hpp).
#pragma once

#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"

namespace twolayer {

// The parameters of a network<F, N, P> kept outside it, read-only: W (P x N, row k = w_k), v (P),
// the hidden biases b (P; a null view: the network has none) and the output bias c (a pointer to
// one value; null: none). An aggregate of views, so a header can make it constexpr from constexpr
// arrays: the arrays, not this struct, hold the values, and they must outlive every network made
// from it. W and v must point at P N and P values.
template <class F, index_t N, index_t P>
struct flash_weights {
    using format = F;
    using value_type = storage_t<F>;

    mat_view<const storage_t<F>, P, N> W;
    vec_view<const storage_t<F>, P> v;
    vec_view<const storage_t<F>, P> b{};
    const storage_t<F>* c = nullptr;

    // Whether the network uses hidden biases (b given) and an output bias (c given).
    constexpr bool has_hidden_bias() const { return b.data() != nullptr; }
    constexpr bool has_output_bias() const { return c != nullptr; }
};

}  // namespace twolayer
