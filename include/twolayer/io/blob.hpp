// Saving a network into a versioned binary weight blob in a caller's buffer, and loading one back,
// with no heap (the wire format: io/blob_format.hpp). The loader checks everything before it
// writes anything: on any error the destination network keeps every byte. A blob carries the
// network's storage bytes exactly, so a round trip restores the weights bit for bit in every
// format.
//
//   std::uint8_t buf[blob_size<decltype(net)>()];
//   blob_write_result w = save_blob(net, buf, sizeof buf);      // w.status, w.size
//   blob_status s = load_blob(buf, w.size, other);              // other unchanged unless ok
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "twolayer/format/traits.hpp"
#include "twolayer/io/blob_format.hpp"
#include "twolayer/model/network.hpp"

namespace twolayer {

namespace detail {
template <std::size_t Bytes> struct unsigned_of_size;
template <> struct unsigned_of_size<2> { using type = std::uint16_t; };
template <> struct unsigned_of_size<4> { using type = std::uint32_t; };
template <> struct unsigned_of_size<8> { using type = std::uint64_t; };

// A stored value's bit pattern as an unsigned integer, and back (memcpy: the integer has the
// value's bits whatever the byte order, and the storage types have no padding).
template <class S>
std::uint64_t bits_of(const S& s) {
    static_assert(std::is_trivially_copyable<S>::value, "blob: a storage type is copied by its bytes");
    typename unsigned_of_size<sizeof(S)>::type u;
    std::memcpy(&u, static_cast<const void*>(&s), sizeof u);
    return u;
}
template <class S>
S from_bits(std::uint64_t bits) {
    const typename unsigned_of_size<sizeof(S)>::type u(bits);
    S s;
    std::memcpy(static_cast<void*>(&s), &u, sizeof s);  // trivially copyable (checked above); the
    return s;                                            // cast tells GCC the class is meant
}

// Calls f(S&) for every parameter of net in payload order: W row-major, v, b, c.
template <class F, index_t N, index_t P, class Act, class Fn>
void for_each_parameter(const network_ref<F, N, P, Act>& net, Fn&& f) {
    const index_t pn = net.hidden() * net.inputs();
    for (index_t i = 0; i < pn; ++i) f(net.W.data()[i]);
    for (index_t k = 0; k < net.hidden(); ++k) f(net.v[k]);
    for (index_t k = 0; k < net.hidden(); ++k) f(net.b[k]);
    f(net.head->output_bias);
}

// The header save_blob writes for net (sizes in 32 bits: the caller checked they fit).
template <class F, index_t N, index_t P, class Act>
blob_header header_of(const network_ref<F, N, P, Act>& net, std::uint32_t sequence) {
    using S = storage_t<F>;
    blob_header h;
    h.version = blob_layout::version;
    h.storage = blob_format_id<S>::value;
    h.arithmetic = blob_format_id<compute_t<F>>::value;
    h.value_bytes = std::uint8_t(sizeof(S));
    h.activation = blob_activation_id(Act::id);
    h.biases = std::uint8_t((net.head->hidden_bias_on() ? blob_layout::bias_hidden : 0) |
                            (net.head->output_bias_on() ? blob_layout::bias_output : 0));
    h.n = std::uint32_t(net.inputs());
    h.p = std::uint32_t(net.hidden());
    h.sequence = sequence;
    h.payload_bytes = std::uint32_t(blob_layout::values(h.n, h.p) * sizeof(S));
    return h;
}

// Whether net's views agree and its blob's payload size fits the header's 32 bits.
template <class F, index_t N, index_t P, class Act>
bool blob_sizes_fit(const network_ref<F, N, P, Act>& net) {
    return net.sizes_agree() && std::uint64_t(net.inputs()) < 0xFFFFFFFFull && std::uint64_t(net.hidden()) < 0xFFFFFFFFull &&
           blob_layout::values(net.inputs(), net.hidden()) <= 0xFFFFFFFFull / sizeof(storage_t<F>);
}
}  // namespace detail

// The bytes of a blob of a network of type Net (a network with static sizes): header, payload
// and CRC, whatever biases it uses. Usable as an array size.
template <class Net>
constexpr std::size_t blob_size() {
    using R = ref_of_t<Net>;
    static_assert(R::n_extent != dynamic_extent && R::p_extent != dynamic_extent,
                  "blob_size<Net>(): Net has run-time sizes; call blob_size(net)");
    return blob_layout::header_size +
           std::size_t(blob_layout::values(R::n_extent, R::p_extent)) * sizeof(storage_t<typename R::format>) +
           blob_layout::crc_size;
}

// The bytes of net's blob (any network or network_ref, also of run-time sizes).
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
std::uint64_t blob_size(const Net& n) {
    const auto& net = read_ref(n);
    return blob_layout::header_size +
           blob_layout::values(net.inputs(), net.hidden()) * sizeof(storage_t<format_of_t<Net>>) +
           blob_layout::crc_size;
}

// What save_blob reports: the status and the bytes written (0 unless ok).
struct blob_write_result {
    blob_status status = blob_status::ok;
    std::size_t size = 0;
    bool ok() const { return status == blob_status::ok; }
    explicit operator bool() const { return ok(); }
};

// Writes net (a network or a network_ref) as a blob into the capacity bytes at buffer (any
// alignment), with the given sequence number (io/checkpoint.hpp counts with it; 0 otherwise).
// Writes nothing and reports: size_mismatch when net's views disagree or its sizes do not fit the
// header's 32-bit fields; too_small when capacity < blob_size(net); nonfinite_value when a weight
// or bias is NaN or Inf (a blob the loader would refuse). Never writes past capacity.
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
blob_write_result save_blob(const Net& n, std::uint8_t* buffer, std::size_t capacity, std::uint32_t sequence = 0) {
    namespace L = blob_layout;
    const auto& net = read_ref(n);
    using S = storage_t<format_of_t<Net>>;
    if (!detail::blob_sizes_fit(net)) return {blob_status::size_mismatch, 0};
    const std::uint64_t total = blob_size(net);
    if (std::uint64_t(capacity) < total) return {blob_status::too_small, 0};
    bool finite = true;
    detail::for_each_parameter(net, [&](const S& s) {
        const std::uint64_t mask = blob_format_id<S>::nonfinite_mask;
        finite = finite && (mask == 0 || (detail::bits_of(s) & mask) != mask);
    });
    if (!finite) return {blob_status::nonfinite_value, 0};

    const blob_header h = detail::header_of(net, sequence);
    std::uint8_t* p = buffer;
    for (std::size_t i = 0; i < 4; ++i) p[i] = L::magic[i];
    detail::put_le(p + L::off_version, h.version, 2);
    detail::put_le(p + L::off_flags, h.flags, 2);
    p[L::off_storage] = h.storage;
    p[L::off_arithmetic] = h.arithmetic;
    p[L::off_value_bytes] = h.value_bytes;
    p[L::off_activation] = h.activation;
    p[L::off_biases] = h.biases;
    p[L::off_reserved] = p[L::off_reserved + 1] = p[L::off_reserved + 2] = 0;
    detail::put_le(p + L::off_n, h.n, 4);
    detail::put_le(p + L::off_p, h.p, 4);
    detail::put_le(p + L::off_sequence, h.sequence, 4);
    detail::put_le(p + L::off_payload_bytes, h.payload_bytes, 4);
    std::uint8_t* at = p + L::header_size;
    detail::for_each_parameter(net, [&](const S& s) {
        detail::put_le(at, detail::bits_of(s), sizeof(S));
        at += sizeof(S);
    });
    detail::put_le(at, crc32(p, std::size_t(at - p)), 4);
    return {blob_status::ok, std::size_t(total)};
}

// Checks the size bytes at `bytes` (any alignment; bytes past the blob ignored) as a blob for net
// (a network or a network_ref), reading net's shape and writing nothing: parse_blob_header's
// checks (magic, version, length, CRC, the header's consistency), then against net: format_mismatch
// (storage, arithmetic type or bytes per value), activation_mismatch, size_mismatch (N, P; also
// when net's own views disagree), bias_mismatch (which biases are used), and nonfinite_value (a
// NaN or Inf bit pattern anywhere in a floating payload). Returns the status and, when ok, the
// header (its sequence number). What load_blob and the checkpoint slots decide by.
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
blob_parse check_blob(const std::uint8_t* bytes, std::size_t size, const Net& n) {
    const auto& net = read_ref(n);
    using S = storage_t<format_of_t<Net>>;
    const blob_parse parsed = parse_blob_header(bytes, size);
    if (!parsed.ok()) return parsed;
    if (!detail::blob_sizes_fit(net)) return {blob_status::size_mismatch, {}};
    const blob_header want = detail::header_of(net, 0), &h = parsed.header;
    if (h.storage != want.storage || h.arithmetic != want.arithmetic || h.value_bytes != want.value_bytes)
        return {blob_status::format_mismatch, {}};
    if (h.activation != want.activation) return {blob_status::activation_mismatch, {}};
    if (h.n != want.n || h.p != want.p || h.payload_bytes != want.payload_bytes) return {blob_status::size_mismatch, {}};
    if (h.biases != want.biases) return {blob_status::bias_mismatch, {}};
    constexpr std::uint64_t mask = blob_format_id<S>::nonfinite_mask;
    if constexpr (mask != 0) {
        const std::uint8_t* at = bytes + blob_layout::header_size;
        for (std::uint32_t i = 0; i < h.payload_bytes; i += sizeof(S))
            if ((detail::get_le(at + i, sizeof(S)) & mask) == mask) return {blob_status::nonfinite_value, {}};
    }
    return parsed;
}

// Loads the blob in the size bytes at `bytes` into net (a network or a network_ref) after every
// check of check_blob; on any error net keeps every byte (nothing is written before the last
// check passed). On success W, v, b and c take the blob's bits and net.weights_changed() drops
// the trainers' bound on |W| and any pre-activations computed ahead; the forward cache (lambda, g,
// the last output) is left, stale, for the next forward pass to overwrite.
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
blob_status load_blob(const std::uint8_t* bytes, std::size_t size, Net&& n) {
    const blob_parse checked = check_blob(bytes, size, n);
    if (!checked.ok()) return checked.status;
    const auto& net = to_ref(n);
    using S = storage_t<format_of_t<Net>>;
    const std::uint8_t* at = bytes + blob_layout::header_size;
    detail::for_each_parameter(net, [&](S& s) {
        s = detail::from_bits<S>(detail::get_le(at, sizeof(S)));
        at += sizeof(S);
    });
    net.weights_changed();
    return blob_status::ok;
}

}  // namespace twolayer
