// The weight blob's wire format, apart from any network: the statuses, the stable id tables of
// number formats and activations, the header's layout, little-endian byte access, and
// parse_blob_header, which checks everything that does not need the destination network (magic,
// version, length, CRC, the header's own consistency). io/blob.hpp saves and loads networks.
//
// Layout (format version 1), every integer little-endian whatever the host:
//   offset  size  field
//        0     4  magic "TLWB" (54 4C 57 42)
//        4     2  format version (1)
//        6     2  flags (0 in version 1)
//        8     1  storage id       (blob_format_id: the type weights are kept in)
//        9     1  arithmetic id    (blob_format_id of compute_t<F>: float or double)
//       10     1  bytes per value  (sizeof the storage type: 8, 4 or 2)
//       11     1  activation id    (blob_activation_id)
//       12     1  biases: bit 0 hidden biases used, bit 1 output bias used; other bits 0
//       13     3  reserved, 0
//       16     4  N (inputs)
//       20     4  P (hidden units)
//       24     4  sequence number (0 for a plain blob; the checkpoint slots count with it)
//       28     4  payload bytes = (P N + 2 P + 1) * bytes per value
//       32     .  payload: W row-major (P N values), v (P), b (P), c (1), each value's bit
//                 pattern as an unsigned integer of bytes-per-value bytes (b and c always, used
//                 or not, so the size is the type's alone and a round trip restores every byte)
//   32+payload 4  CRC-32 (io/crc32.hpp) of every byte before it, header and payload
// Every field is read and written byte by byte with shifts, never by casting a struct over the
// buffer: the buffer may sit at any address (no alignment needed) and the bytes are the same on a
// big-endian host.
#pragma once
#include <cstddef>
#include <cstdint>

#include "twolayer/format/fixed.hpp"
#include "twolayer/format/half.hpp"
#include "twolayer/io/crc32.hpp"
#include "twolayer/model/activation.hpp"

namespace twolayer {

// What saving or loading a blob reports. Loading checks in this order, so a corrupt byte is
// reported as corruption and never as a mismatch of whatever field it hit: magic, version and
// length (what is needed to find the CRC), the CRC, then the header against itself and the
// destination, then the values.
enum class blob_status : std::uint8_t {
    ok = 0,
    too_small,            // save: the buffer cannot hold the blob (nothing written)
    bad_magic,            // the bytes do not start with "TLWB" (not a blob, or erased flash)
    unknown_version,      // a format version, flag or reserved bit this loader does not know
    truncated,            // fewer bytes than the header's length says (a cut-short transfer)
    checksum_mismatch,    // the CRC-32 does not match: a corrupt or torn blob
    format_mismatch,      // storage or arithmetic type not the destination's
    activation_mismatch,  // activation not the destination's
    size_mismatch,        // N, P or the payload size not the destination's (or not each other's)
    bias_mismatch,        // which biases are used differs from the destination
    nonfinite_value,      // a NaN or Inf in a floating-point payload (load), or in the network (save)
};

// A short description of a status, for logs.
inline const char* to_string(blob_status s) {
    switch (s) {
        case blob_status::ok: return "ok";
        case blob_status::too_small: return "buffer too small for the blob";
        case blob_status::bad_magic: return "not a twolayer weight blob (bad magic)";
        case blob_status::unknown_version: return "unknown blob version, flag or reserved bit";
        case blob_status::truncated: return "blob truncated";
        case blob_status::checksum_mismatch: return "blob checksum mismatch (corrupt or torn)";
        case blob_status::format_mismatch: return "blob number format differs from the network's";
        case blob_status::activation_mismatch: return "blob activation differs from the network's";
        case blob_status::size_mismatch: return "blob sizes (N, P, payload) differ from the network's";
        case blob_status::bias_mismatch: return "blob biases differ from the network's";
        case blob_status::nonfinite_value: return "non-finite value in the weights";
    }
    return "unknown";
}

// Stable ids on the wire: never renumbered, never reused (a test holds every value). 0 is no
// format / no activation, which no blob carries.
// Number formats, by their storage type (the arithmetic type, float or double, takes its id from
// the same table). nonfinite_mask is the exponent field of a floating type's bit pattern (all ones:
// NaN or Inf), 0 for fixed point, whose every pattern is a value.
template <class S>
struct blob_format_id;  // undefined: a type with no id cannot be saved
// One row of the table: the id and the nonfinite mask.
template <std::uint8_t Id, std::uint64_t NonfiniteMask>
struct blob_format_entry {
    static constexpr std::uint8_t value = Id;
    static constexpr std::uint64_t nonfinite_mask = NonfiniteMask;
};
template <> struct blob_format_id<double> : blob_format_entry<1, 0x7ff0000000000000ull> {};
template <> struct blob_format_id<float> : blob_format_entry<2, 0x7f800000u> {};
template <> struct blob_format_id<f16> : blob_format_entry<3, 0x7c00u> {};
template <> struct blob_format_id<bf16> : blob_format_entry<4, 0x7f80u> {};
template <> struct blob_format_id<q3_12> : blob_format_entry<5, 0> {};
template <> struct blob_format_id<q4_27> : blob_format_entry<6, 0> {};

// Activations (the library's activation_id has no promise of stable values; this table has).
constexpr std::uint8_t blob_activation_id(activation_id a) {
    switch (a) {
        case activation_id::erf: return 1;
        case activation_id::relu: return 2;
        case activation_id::quadratic: return 3;
        case activation_id::tanh: return 4;
        case activation_id::sigmoid: return 5;
        case activation_id::linear: return 6;
        case activation_id::abs: return 7;
    }
    return 0;
}

// The header's constants: magic, version, sizes and field offsets (the table above).
namespace blob_layout {
inline constexpr std::uint8_t magic[4] = {0x54, 0x4C, 0x57, 0x42};  // "TLWB"
inline constexpr std::uint16_t version = 1;
inline constexpr std::size_t header_size = 32;
inline constexpr std::size_t crc_size = 4;
inline constexpr std::size_t off_version = 4, off_flags = 6, off_storage = 8, off_arithmetic = 9,
                             off_value_bytes = 10, off_activation = 11, off_biases = 12, off_reserved = 13,
                             off_n = 16, off_p = 20, off_sequence = 24, off_payload_bytes = 28;
inline constexpr std::uint8_t bias_hidden = 1, bias_output = 2;
// The values in a payload: W, v, b, c.
constexpr std::uint64_t values(std::uint64_t n, std::uint64_t p) { return p * n + 2 * p + 1; }
}  // namespace blob_layout

namespace detail {
// Little-endian unsigned integers of `bytes` bytes (1 to 8), one byte at a time.
inline void put_le(std::uint8_t* at, std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) at[i] = std::uint8_t(v >> (8 * i));
}
inline std::uint64_t get_le(const std::uint8_t* at, std::size_t bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) v |= std::uint64_t(at[i]) << (8 * i);
    return v;
}
}  // namespace detail

// A header as numbers (read by parse_blob_header, written by save_blob).
struct blob_header {
    std::uint16_t version = 0;
    std::uint16_t flags = 0;
    std::uint8_t storage = 0;      // blob_format_id of the storage type
    std::uint8_t arithmetic = 0;   // blob_format_id of the arithmetic type
    std::uint8_t value_bytes = 0;  // bytes per stored value
    std::uint8_t activation = 0;   // blob_activation_id
    std::uint8_t biases = 0;       // blob_layout::bias_hidden | bias_output
    std::uint32_t n = 0, p = 0;
    std::uint32_t sequence = 0;
    std::uint32_t payload_bytes = 0;
    // The whole blob: header, payload, CRC.
    std::uint64_t total_size() const {
        return blob_layout::header_size + std::uint64_t(payload_bytes) + blob_layout::crc_size;
    }
};

// What parse_blob_header found: the status and, when ok, the header.
struct blob_parse {
    blob_status status = blob_status::ok;
    blob_header header;
    bool ok() const { return status == blob_status::ok; }
};

// Checks the n bytes at `bytes` as a blob without any destination: a pure function of the bytes
// (what a fuzzer calls; bytes may be null when size is 0). Bytes past the blob's length are
// ignored (a flash sector larger than the blob). In order:
//   bad_magic        a byte of the magic that is present differs;
//   truncated        the magic or the version cut short;
//   unknown_version  a version other than 1;
//   truncated        fewer than 32 + payload + 4 bytes;
//   checksum_mismatch the CRC;
//   unknown_version  nonzero flags, reserved bytes or bias bits past bit 1 (a newer writer);
//   size_mismatch    payload bytes not (P N + 2 P + 1) * bytes per value.
// Why the CRC comes before every other field: only magic, version and length are needed to find
// it; every later check then reads bytes known to be intact, so a flipped bit in, say, the
// activation id is reported as corruption, not as an activation mismatch.
inline blob_parse parse_blob_header(const std::uint8_t* bytes, std::size_t size) {
    namespace L = blob_layout;
    blob_parse r;
    const std::size_t m = size < 4 ? size : 4;
    for (std::size_t i = 0; i < m; ++i)
        if (bytes[i] != L::magic[i]) return {blob_status::bad_magic, {}};
    if (size < L::off_version + 2) return {blob_status::truncated, {}};
    blob_header& h = r.header;
    h.version = std::uint16_t(detail::get_le(bytes + L::off_version, 2));
    if (h.version != L::version) return {blob_status::unknown_version, {}};
    if (size < L::header_size) return {blob_status::truncated, {}};
    h.flags = std::uint16_t(detail::get_le(bytes + L::off_flags, 2));
    h.storage = bytes[L::off_storage];
    h.arithmetic = bytes[L::off_arithmetic];
    h.value_bytes = bytes[L::off_value_bytes];
    h.activation = bytes[L::off_activation];
    h.biases = bytes[L::off_biases];
    h.n = std::uint32_t(detail::get_le(bytes + L::off_n, 4));
    h.p = std::uint32_t(detail::get_le(bytes + L::off_p, 4));
    h.sequence = std::uint32_t(detail::get_le(bytes + L::off_sequence, 4));
    h.payload_bytes = std::uint32_t(detail::get_le(bytes + L::off_payload_bytes, 4));
    if (std::uint64_t(size) < h.total_size()) return {blob_status::truncated, {}};
    const std::size_t body = std::size_t(L::header_size + h.payload_bytes);
    const std::uint32_t stored = std::uint32_t(detail::get_le(bytes + body, 4));
    if (crc32(bytes, body) != stored) return {blob_status::checksum_mismatch, {}};
    const bool reserved_zero = bytes[L::off_reserved] == 0 && bytes[L::off_reserved + 1] == 0 &&
                               bytes[L::off_reserved + 2] == 0;
    if (h.flags != 0 || !reserved_zero || (h.biases & ~(L::bias_hidden | L::bias_output)) != 0)
        return {blob_status::unknown_version, {}};
    // A network has N, P >= 1. P N is at most (2^32 - 1)^2, no wrap in 64 bits; once it is known
    // to be within the 32-bit payload size, the rest cannot wrap either.
    const std::uint64_t pn = std::uint64_t(h.p) * h.n;
    if (h.n == 0 || h.p == 0 || h.value_bytes == 0 || h.value_bytes > 8 || pn > h.payload_bytes ||
        L::values(h.n, h.p) * h.value_bytes != h.payload_bytes)
        return {blob_status::size_mismatch, {}};
    return r;
}

}  // namespace twolayer
