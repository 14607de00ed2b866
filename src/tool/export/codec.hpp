// The storage types `twolayer export` writes arrays of: how a value becomes the bits of the stored
// value nearest to it (the library's own conversion, so the header holds what a network would
// store), whether it fits the format at all, and the C++ constant that has exactly those bits.
#pragma once
#include <cstdint>
#include <string>

namespace twolayer::tool::exporter {

/// One storage type: double, float, f16, bf16, q3_12 or q4_27.
struct storage_codec {
    const char* name;      ///< as --format spells it ("f16")
    const char* cpp_type;  ///< the type of the arrays in the header ("twolayer::f16")
    std::uint8_t blob_id;  ///< its id in a weight blob (io/blob_format.hpp)
    int bytes;             ///< bytes per value
    const char* range;     ///< its finite range, for messages ("[-65504, 65504]")
    const char* compute;   ///< its default arithmetic type, "float" or "double" (format/traits.hpp)
    std::uint64_t max_inputs;  ///< the most inputs N a network in it may have (max_dot_length_v)
    /// The bits of the stored value nearest to x (ties as the library rounds them); false, bits
    /// unspecified, when x is not finite or is out of range (it would round to an infinity or
    /// saturate).
    bool (*encode)(double x, std::uint64_t& bits);
    /// The value with these bits, exactly (every stored value is a double).
    double (*decode)(std::uint64_t bits);
    /// A C++ constant expression of type cpp_type with exactly these bits: a decimal literal that
    /// reads back to the same bits for double and float, from_bits / from_raw for the others.
    std::string (*literal)(std::uint64_t bits);
};

/// The codec named `name` (double, float, f16, bf16, q3_12, q4_27); null for another name.
const storage_codec* codec_named(const std::string& name);
/// The codec whose blob id is `id`; null for an id no codec has.
const storage_codec* codec_with_blob_id(std::uint8_t id);

}  // namespace twolayer::tool::exporter
