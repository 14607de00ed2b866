// The weight blob (io/blob.hpp, io/blob_format.hpp, io/crc32.hpp), on every preset:
//   - CRC-32: the check value of "123456789", chunked updates equal one call, the nibble table
//     equals the bitwise definition on random bytes;
//   - the stable ids (formats, activations) and the header's constants, by value;
//   - a round trip in every format (double, float, f16, bf16, q3_12, q4_27, mixed<bf16, double>)
//     restores W, v, b and c byte for byte and drops the |W| bound; every bias combination; the
//     sequence number; a network_ref of run-time sizes;
//   - a golden blob of a tiny float network, written out below byte by byte: save gives exactly
//     these bytes (little-endian: 1.0f is 00 00 80 3F at the payload's offset 32) and load reads
//     them back; its CRC was checked with an independent CRC-32 (zlib's);
//   - save and load at odd buffer offsets; save into a short buffer (too_small, no byte written,
//     none past the capacity) and of a network holding a NaN (nonfinite_value, nothing written).
// The load errors are in test_blob_errors.cpp (the same binary).
#include "blob_test_util.hpp"

using namespace twolayer;

namespace {

// The bitwise CRC-32, from the definition: the reference for the table.
std::uint32_t crc32_bitwise(const std::uint8_t* p, std::size_t n) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

constexpr std::uint8_t check_input[9] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
static_assert(crc32(check_input, 9) == 0xCBF43926u, "CRC-32 check value, at compile time");

constexpr index_t N = 5, P = 3;

// Save net, load into a fresh network of the same type with the same biases, compare bytes.
template <class F, class Act = act::tanh>
void round_trip(bool hidden_bias = true, bool output_bias = true) {
    using Net = network<F, N, P, Act>;
    static Net src, dst;
    src = Net();
    dst = Net();
    tl_test::random_network(src, 11, hidden_bias, output_bias);
    dst.use_hidden_bias(hidden_bias);
    dst.use_output_bias(output_bias);
    dst.ref().head->set_w_absmax_bound(compute_t<F>(100));  // a stale bound the load must drop
    std::uint8_t buf[blob_size<Net>()];
    const blob_write_result w = save_blob(src, buf, sizeof buf, 77);
    TL_REQUIRE(w.ok());
    TL_CHECK(w.size == sizeof buf);
    TL_CHECK(blob_size(src) == sizeof buf);
    TL_CHECK(buf[blob_layout::off_storage] == blob_format_id<storage_t<F>>::value);
    TL_CHECK(buf[blob_layout::off_arithmetic] == blob_format_id<compute_t<F>>::value);
    TL_CHECK(check_blob(buf, w.size, dst).header.sequence == 77);
    TL_CHECK(load_blob(buf, w.size, dst) == blob_status::ok);
    TL_CHECK(tl_test::weight_snapshot<Net>(src).same_as(dst));
    TL_CHECK(dst.ref().head->w_absmax_bound() < compute_t<F>(0));
    TL_CHECK(dst.uses_hidden_bias() == hidden_bias && dst.uses_output_bias() == output_bias);
    // The same weights give the same output, bit for bit.
    storage_t<F> x[N];
    gaussian_rng g(5);
    for (auto& xi : x) xi = format_traits<F>::from_double(g.next());
    const compute_t<F> a = src.forward(x), b = dst.forward(x);
    TL_CHECK(std::memcmp(&a, &b, sizeof a) == 0);
}

}  // namespace

TL_TEST(crc32_check_value_and_chunks) {
    TL_CHECK(crc32(check_input, 9) == 0xCBF43926u);
    TL_CHECK(crc32(nullptr, 0) == 0u);
    static std::uint8_t data[1000];
    philox4x32 u(9);
    for (auto& d : data) d = std::uint8_t(u.next_u32());
    const std::uint32_t whole = crc32(data, sizeof data);
    TL_CHECK(whole == crc32_bitwise(data, sizeof data));
    for (std::size_t n = 0; n <= 64; ++n) TL_CHECK(crc32(data, n) == crc32_bitwise(data, n));
    for (std::size_t chunk = 1; chunk <= 37; chunk += 4) {  // chunks of every size, last one short
        crc32_state s;
        for (std::size_t at = 0; at < sizeof data; at += chunk)
            s.update(data + at, at + chunk <= sizeof data ? chunk : sizeof data - at);
        TL_CHECK(s.value() == whole);
    }
}

TL_TEST(ids_and_layout_are_stable) {
    TL_CHECK(blob_format_id<double>::value == 1);
    TL_CHECK(blob_format_id<float>::value == 2);
    TL_CHECK(blob_format_id<f16>::value == 3);
    TL_CHECK(blob_format_id<bf16>::value == 4);
    TL_CHECK(blob_format_id<q3_12>::value == 5);
    TL_CHECK(blob_format_id<q4_27>::value == 6);
    TL_CHECK(blob_activation_id(activation_id::erf) == 1);
    TL_CHECK(blob_activation_id(activation_id::relu) == 2);
    TL_CHECK(blob_activation_id(activation_id::quadratic) == 3);
    TL_CHECK(blob_activation_id(activation_id::tanh) == 4);
    TL_CHECK(blob_activation_id(activation_id::sigmoid) == 5);
    TL_CHECK(blob_activation_id(activation_id::linear) == 6);
    TL_CHECK(blob_activation_id(activation_id::abs) == 7);
    TL_CHECK(blob_layout::version == 1 && blob_layout::header_size == 32 && blob_layout::crc_size == 4);
    TL_CHECK(blob_layout::off_n == 16 && blob_layout::off_p == 20 && blob_layout::off_sequence == 24 &&
             blob_layout::off_payload_bytes == 28);
    TL_CHECK((blob_size<network<float, 64, 16>>() == 32 + (64 * 16 + 33) * 4 + 4));
    TL_CHECK((blob_size<network<q3_12, 64, 16>>() == 32 + (64 * 16 + 33) * 2 + 4));
}

TL_TEST(round_trip_every_format) {
    round_trip<double>();
    round_trip<float>();
    round_trip<f16>();
    round_trip<bf16>();
    round_trip<q3_12>();
    round_trip<q4_27>();
    round_trip<mixed<bf16, double>>();
}

TL_TEST(round_trip_every_bias_combination) {
    round_trip<float, act::erf>(false, false);
    round_trip<float, act::erf>(true, false);
    round_trip<float, act::erf>(false, true);
    round_trip<float, act::erf>(true, true);
}

TL_TEST(round_trip_through_dynamic_reference) {
    using Net = network<float, N, P, act::tanh>;
    static Net src, dst;
    tl_test::random_network(src, 3);
    dst.use_hidden_bias(true);
    dst.use_output_bias(true);
    const network_ref<float, dynamic_extent, dynamic_extent, act::tanh> rs = src.ref(), rd = dst.ref();
    std::uint8_t buf[blob_size<Net>()];
    TL_CHECK(blob_size(rs) == sizeof buf);
    TL_REQUIRE(save_blob(rs, buf, sizeof buf).ok());
    TL_CHECK(load_blob(buf, sizeof buf, rd) == blob_status::ok);
    TL_CHECK(tl_test::weight_snapshot<Net>(src).same_as(dst));
}

// network<float, 2, 1, linear>, W = (1, -2), v = 0.5, hidden bias 0.25 (on), c = 0 (off), as
// save_blob writes it. CRC 0x7CD208F0 = zlib.crc32 of the 52 bytes before it.
static const std::uint8_t golden[56] = {
    0x54, 0x4C, 0x57, 0x42, 0x01, 0x00, 0x00, 0x00,  // "TLWB", version 1, flags 0
    0x02, 0x02, 0x04, 0x06, 0x01, 0x00, 0x00, 0x00,  // float, float, 4 bytes, linear, hidden bias
    0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,  // N = 2, P = 1
    0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,  // sequence 0, payload 20 bytes
    0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0,  // W = 1.0f, -2.0f
    0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x80, 0x3E,  // v = 0.5f, b = 0.25f
    0x00, 0x00, 0x00, 0x00, 0xF0, 0x08, 0xD2, 0x7C,  // c = 0.0f, CRC-32 little-endian
};

TL_TEST(golden_blob_is_little_endian) {
    using Net = network<float, 2, 1, act::linear>;
    static_assert(blob_size<Net>() == sizeof golden, "the golden blob's size");
    Net net;
    net.W_mut()(0, 0) = 1.0f;
    net.W_mut()(0, 1) = -2.0f;
    net.v_mut()[0] = 0.5f;
    net.hidden_bias_mut()[0] = 0.25f;
    net.use_hidden_bias(true);
    std::uint8_t buf[sizeof golden];
    TL_REQUIRE(save_blob(net, buf, sizeof buf).ok());
    TL_CHECK(std::memcmp(buf, golden, sizeof golden) == 0);
    for (std::size_t i = 0; i < sizeof golden; ++i)
        if (buf[i] != golden[i]) TL_INFO("    byte %zu: %02x, golden %02x\n", i, buf[i], golden[i]);
    const std::uint8_t one[4] = {0x00, 0x00, 0x80, 0x3F};  // 1.0f at the payload's start
    TL_CHECK(std::memcmp(golden + blob_layout::header_size, one, 4) == 0);
    TL_CHECK(crc32(golden, 52) == 0x7CD208F0u);
    Net back;
    back.use_hidden_bias(true);
    TL_REQUIRE(load_blob(golden, sizeof golden, back) == blob_status::ok);
    TL_CHECK(back.W()(0, 0) == 1.0f && back.W()(0, 1) == -2.0f && back.v()[0] == 0.5f);
    TL_CHECK(back.hidden_bias()[0] == 0.25f && back.output_bias() == 0.0f);
}

TL_TEST(odd_buffer_offsets) {
    using Net = network<double, N, P, act::tanh>;
    static Net src, dst;
    tl_test::random_network(src, 21);
    constexpr std::size_t size = blob_size<Net>();
    alignas(8) static std::uint8_t area[size + 8];
    for (std::size_t offset : {std::size_t(1), std::size_t(3), std::size_t(7)}) {
        dst = Net();
        dst.use_hidden_bias(true);
        dst.use_output_bias(true);
        TL_REQUIRE(save_blob(src, area + offset, size).ok());
        TL_CHECK(load_blob(area + offset, size, dst) == blob_status::ok);
        TL_CHECK(tl_test::weight_snapshot<Net>(src).same_as(dst));
    }
    alignas(4) static std::uint8_t odd[sizeof golden + 1];
    std::memcpy(odd + 1, golden, sizeof golden);
    network<float, 2, 1, act::linear> g;
    g.use_hidden_bias(true);
    TL_CHECK(load_blob(odd + 1, sizeof golden, g) == blob_status::ok);
    TL_CHECK(g.W()(0, 1) == -2.0f);
}

TL_TEST(save_refuses_short_buffer_and_nonfinite) {
    using Net = network<float, N, P, act::tanh>;
    static Net net;
    tl_test::random_network(net, 4);
    constexpr std::size_t size = blob_size<Net>();
    static std::uint8_t buf[size + 16];
    for (std::size_t cap = 0; cap < size; ++cap) {
        std::memset(buf, 0xA5, sizeof buf);
        const blob_write_result w = save_blob(net, buf, cap);
        TL_CHECK(w.status == blob_status::too_small && w.size == 0);
        bool untouched = true;
        for (std::uint8_t b : buf) untouched = untouched && b == 0xA5;
        TL_CHECK(untouched);
    }
    // A write of exactly the size stops at its last byte.
    std::memset(buf, 0xA5, sizeof buf);
    TL_CHECK(save_blob(net, buf, size).ok());
    TL_CHECK(buf[size] == 0xA5);
    // A NaN (from its bits: the test also holds under -ffast-math) is refused, nothing written.
    const std::uint32_t nan_bits = 0x7FC00000u;
    std::memcpy(&net.v_mut()[1], &nan_bits, 4);
    std::memset(buf, 0xA5, sizeof buf);
    TL_CHECK(save_blob(net, buf, sizeof buf).status == blob_status::nonfinite_value);
    TL_CHECK(buf[0] == 0xA5 && buf[size - 1] == 0xA5);
}
