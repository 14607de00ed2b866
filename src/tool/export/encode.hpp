// A network's values in the storage type of the exported arrays: the bits of each, and how many
// the rounding changed (the header says so), or one line naming the first value that does not fit.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "codec.hpp"
#include "network_values.hpp"

namespace twolayer::tool::exporter {

/// The parameters as bit patterns of the codec's storage type.
struct encoded_network {
    std::vector<std::uint64_t> W, v, b;  ///< b empty: no hidden biases
    std::optional<std::uint64_t> c;      ///< none: no output bias
    std::size_t changed = 0;             ///< values the rounding to the storage type changed
    double largest_change = 0;           ///< the largest |stored - given|
};

/// Every value of `values` rounded to nearest in codec's type (the library's conversion). A value
/// out of the type's range throws usage_error naming --format, the format and the value:
/// "--format f16: W(2, 3) = 70000 is out of f16's range [-65504, 65504]".
encoded_network encode_network(const network_values& values, const storage_codec& codec);

}  // namespace twolayer::tool::exporter
