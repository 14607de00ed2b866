// Every error of load_blob (io/blob.hpp), each by a blob built or corrupted for it, and each time
// the destination network compared byte for byte (the whole object, padding included) before and
// after: bad magic, unknown version (and flags, reserved bytes, bias bits, with the CRC
// recomputed), truncation at every length 0..size-1, a flipped bit in every payload and header
// byte (checksum_mismatch, or truncated where the flip lengthens the declared payload past the
// buffer), wrong format (storage and arithmetic), activation, N, P, biases, an inconsistent
// payload size with a valid CRC, and a NaN or Inf in a float, double, f16 and bf16 payload with
// the CRC recomputed, so that only the finiteness check can catch it. check_blob reports the same
// statuses.
#include "blob_test_util.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 5, P = 3;
using Net = network<float, N, P, act::tanh>;
constexpr std::size_t size = blob_size<Net>();

// A good blob of a random float tanh network with both biases, in blob; the destination dst
// (other weights, same shape) ready to compare.
struct fixture {
    Net src, dst;
    std::uint8_t blob[size];
    fixture() {
        tl_test::random_network(src, 31);
        tl_test::random_network(dst, 32);
        save_blob(src, blob, size);
    }
};

// load_blob(bytes, n) into dst gives `want` and leaves every byte of dst; check_blob agrees.
template <class D>
bool fails_with(const std::uint8_t* bytes, std::size_t n, D& dst, blob_status want) {
    const tl_test::object_bytes<D> before(dst);
    const blob_status got = load_blob(bytes, n, dst);
    const bool ok = got == want && before.same_as(dst) && check_blob(bytes, n, dst).status == want;
    if (!ok) TL_INFO("    want %s, got %s%s\n", to_string(want), to_string(got), before.same_as(dst) ? "" : ", dst written");
    return ok;
}

}  // namespace

TL_TEST(bad_magic) {
    static fixture f;
    static std::uint8_t b[size];
    for (std::size_t i = 0; i < 4; ++i) {
        std::memcpy(b, f.blob, size);
        b[i] ^= 0x20;
        TL_CHECK(fails_with(b, size, f.dst, blob_status::bad_magic));
    }
    std::memset(b, 0xFF, size);  // erased flash
    TL_CHECK(fails_with(b, size, f.dst, blob_status::bad_magic));
}

TL_TEST(unknown_version_flags_reserved) {
    static fixture f;
    static std::uint8_t b[size];
    for (std::uint8_t v : {std::uint8_t(0), std::uint8_t(2), std::uint8_t(0xFF)}) {
        std::memcpy(b, f.blob, size);
        b[blob_layout::off_version] = v;
        TL_CHECK(fails_with(b, size, f.dst, blob_status::unknown_version));
    }
    // Fields inside the CRC, with the CRC recomputed: a newer writer's features.
    for (std::size_t at : {blob_layout::off_flags, blob_layout::off_flags + 1, blob_layout::off_reserved,
                           blob_layout::off_reserved + 2}) {
        std::memcpy(b, f.blob, size);
        b[at] = 1;
        tl_test::recompute_crc(b, size);
        TL_CHECK(fails_with(b, size, f.dst, blob_status::unknown_version));
    }
    std::memcpy(b, f.blob, size);
    b[blob_layout::off_biases] |= 4;
    tl_test::recompute_crc(b, size);
    TL_CHECK(fails_with(b, size, f.dst, blob_status::unknown_version));
}

TL_TEST(truncated_at_every_length) {
    static fixture f;
    // Each prefix ends where its array ends, so a read past `n` bytes leaves the array (the
    // sanitizer build reports it).
    static std::uint8_t tail[size];
    int bad = 0;
    for (std::size_t n = 0; n < size; ++n) {
        std::memcpy(tail + size - n, f.blob, n);
        bad += !fails_with(tail + size - n, n, f.dst, blob_status::truncated);
    }
    TL_CHECK(bad == 0);
    TL_CHECK(load_blob(f.blob, size, f.dst) == blob_status::ok);  // and the whole one loads
}

TL_TEST(flipped_bits_fail_the_checksum) {
    static fixture f;
    static std::uint8_t b[size];
    int bad = 0;
    for (std::size_t i = blob_layout::off_flags; i < size; ++i) {  // past magic and version
        for (int bit = 0; bit < 8; bit += 3) {
            std::memcpy(b, f.blob, size);
            b[i] ^= std::uint8_t(1u << bit);
            blob_status want = blob_status::checksum_mismatch;
            if (i >= blob_layout::off_payload_bytes && i < blob_layout::off_payload_bytes + 4) {
                const std::uint64_t declared = detail::get_le(b + blob_layout::off_payload_bytes, 4);
                if (blob_layout::header_size + declared + 4 > size) want = blob_status::truncated;
            }
            bad += !fails_with(b, size, f.dst, want);
        }
    }
    TL_CHECK(bad == 0);
}

TL_TEST(format_mismatch) {
    static fixture f;
    static network<double, N, P, act::tanh> d;               // another storage type
    static network<mixed<float, double>, N, P, act::tanh> m;  // same storage, another arithmetic
    static network<f16, N, P, act::tanh> h;
    d.use_hidden_bias(true), d.use_output_bias(true);
    m.use_hidden_bias(true), m.use_output_bias(true);
    h.use_hidden_bias(true), h.use_output_bias(true);
    TL_CHECK(fails_with(f.blob, size, d, blob_status::format_mismatch));
    TL_CHECK(fails_with(f.blob, size, m, blob_status::format_mismatch));
    // f16 and bf16: the same bytes per value and payload size, only the id differs.
    static network<bf16, N, P, act::tanh> bsrc;
    tl_test::random_network(bsrc, 2);
    std::uint8_t hb[blob_size<network<bf16, N, P, act::tanh>>()];
    TL_REQUIRE(save_blob(bsrc, hb, sizeof hb).ok());
    TL_CHECK(fails_with(hb, sizeof hb, h, blob_status::format_mismatch));
}

TL_TEST(activation_mismatch) {
    static fixture f;
    static network<float, N, P, act::erf> e;
    e.use_hidden_bias(true), e.use_output_bias(true);
    TL_CHECK(fails_with(f.blob, size, e, blob_status::activation_mismatch));
}

TL_TEST(size_mismatch_n_p_payload) {
    static fixture f;
    static network<float, N - 1, P, act::tanh> n4;
    static network<float, N + 1, P, act::tanh> n6;
    static network<float, N, P - 1, act::tanh> p2;
    static network<float, N, P + 1, act::tanh> p4;
    n4.use_hidden_bias(true), n4.use_output_bias(true);
    n6.use_hidden_bias(true), n6.use_output_bias(true);
    p2.use_hidden_bias(true), p2.use_output_bias(true);
    p4.use_hidden_bias(true), p4.use_output_bias(true);
    TL_CHECK(fails_with(f.blob, size, n4, blob_status::size_mismatch));
    TL_CHECK(fails_with(f.blob, size, n6, blob_status::size_mismatch));
    TL_CHECK(fails_with(f.blob, size, p2, blob_status::size_mismatch));
    TL_CHECK(fails_with(f.blob, size, p4, blob_status::size_mismatch));
    // A header whose N disagrees with its own payload size, CRC valid: refused before any use.
    static std::uint8_t b[size];
    std::memcpy(b, f.blob, size);
    b[blob_layout::off_n] = N + 1;
    tl_test::recompute_crc(b, size);
    TL_CHECK(fails_with(b, size, f.dst, blob_status::size_mismatch));
    TL_CHECK(parse_blob_header(b, size).status == blob_status::size_mismatch);
}

TL_TEST(bias_mismatch) {
    static fixture f;
    f.dst.use_hidden_bias(false);
    TL_CHECK(fails_with(f.blob, size, f.dst, blob_status::bias_mismatch));
    f.dst.use_hidden_bias(true);
    f.dst.use_output_bias(false);
    TL_CHECK(fails_with(f.blob, size, f.dst, blob_status::bias_mismatch));
}

namespace {
// A NaN or Inf bit pattern written over value `index` of a blob of format F's network, the CRC
// recomputed: only the finiteness check can refuse it.
template <class F>
void nonfinite_case(std::uint64_t pattern, std::size_t index) {
    using NF = network<F, N, P, act::tanh>;
    static NF src, dst;
    tl_test::random_network(src, 41);
    tl_test::random_network(dst, 42);
    constexpr std::size_t bytes = blob_size<NF>();
    std::uint8_t b[bytes];
    TL_REQUIRE(save_blob(src, b, bytes).ok());
    detail::put_le(b + blob_layout::header_size + index * sizeof(storage_t<F>), pattern, sizeof(storage_t<F>));
    tl_test::recompute_crc(b, bytes);
    TL_CHECK(parse_blob_header(b, bytes).ok());  // intact as bytes
    TL_CHECK(fails_with(b, bytes, dst, blob_status::nonfinite_value));
}
}  // namespace

TL_TEST(nonfinite_value_with_valid_crc) {
    constexpr std::size_t last = P * N + 2 * P;  // c
    nonfinite_case<float>(0x7FC00000u, 0);       // NaN in W
    nonfinite_case<float>(0xFF800000u, last);    // -Inf in c
    nonfinite_case<double>(0x7FF8000000000000ull, P * N + 1);  // NaN in v
    nonfinite_case<double>(0x7FF0000000000000ull, P * N + P);  // Inf in b
    nonfinite_case<f16>(0x7C00u, 7);                           // Inf
    nonfinite_case<bf16>(0xFFC1u, last);                       // NaN
    nonfinite_case<mixed<bf16, double>>(0x7F80u, 2);
}
