// The types and sizes every kind of network names (format, value_type, compute_type, activation,
// inputs(), hidden()), as a base class, so the kinds that are not a network<> (flash_network,
// readout_network) state them once and generic code (tests, trainers) reads them alike.
#pragma once

#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"

namespace twolayer {

// Empty: derive publicly to name F's types, Act, N and P as a network<F, N, P, Act> does.
template <class F, index_t N, index_t P, class Act>
struct network_types {
    using format = F;
    using value_type = storage_t<F>;
    using compute_type = compute_t<F>;
    using activation = Act;
    static constexpr index_t inputs() { return N; }
    static constexpr index_t hidden() { return P; }
};

}  // namespace twolayer
