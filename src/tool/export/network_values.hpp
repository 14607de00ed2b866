// What `twolayer export` reads: a network's parameters as doubles, from .npy files (what `twolayer
// train --save-weights` writes, or np.save) or from a weight blob (io/blob.hpp), checked for
// shapes and finiteness with the .npy reader's messages (docs/TOOL.md, "npy").
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "twolayer/model/activation.hpp"

namespace twolayer::tool::exporter {

/// A network's parameters, every value finite.
struct network_values {
    std::size_t n = 0, p = 0;
    std::vector<double> W;     ///< P x N, row-major
    std::vector<double> v;     ///< P
    std::vector<double> b;     ///< P hidden biases; empty: the network has none
    std::optional<double> c;   ///< the output bias; none: the network has none
    std::optional<activation_id> activation;  ///< what the source says (a blob), if anything
    std::string format;        ///< the source's own format, as --format spells it
    std::string description;   ///< the source in one line, for the header's comment
};

/// DIR/W.npy (P, N) and DIR/v.npy (P,), optionally DIR/b.npy (P,) and DIR/c.npy (shape ()).
/// The format: float when every file stores float32, else double. Any missing, malformed,
/// mismatched or non-finite file is a usage_error naming --weights and the file.
network_values read_weights_dir(const std::string& dir);

/// A weight blob file: its header checked by parse_blob_header (a bad one is a usage_error
/// naming --blob, the file and the status), the values decoded from its storage type, the biases
/// it marks as used, its activation and format.
network_values read_blob_file(const std::string& path);

}  // namespace twolayer::tool::exporter
