// The C++ header `twolayer export` writes: a comment saying what produced it, the sizes, format and
// activation as constants, constexpr arrays of the storage type holding exactly the encoded bits,
// the flash_weights that views them and the two network types to make from it (docs/TOOL.md,
// "export").
#pragma once
#include <cstddef>
#include <ostream>
#include <string>

#include "codec.hpp"
#include "encode.hpp"
#include "twolayer/model/activation.hpp"

namespace twolayer::tool::exporter {

/// Everything the header states.
struct header_content {
    std::string command;        ///< the command line that regenerates the header
    std::string source;         ///< where the values came from (network_values::description)
    std::string name;           ///< the namespace (check_identifier'd)
    std::string format;         ///< as --format spells it ("q4_27/double")
    const storage_codec* storage = nullptr;  ///< the arrays' type
    std::string compute;        ///< "float" or "double"
    activation_id activation = activation_id::erf;
    std::size_t n = 0, p = 0;
    encoded_network values;
};

/// Writes the header to out (the caller's atomic_file).
void write_header(std::ostream& out, const header_content& h);

}  // namespace twolayer::tool::exporter
