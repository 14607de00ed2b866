// Headers written by `twolayer export` at build time (tests/tool/CMakeLists.txt) from the
// fixture network (export_fixture.hpp) as .npy files and as weight blobs, compiled here: every
// array holds exactly the bits of the fixture's values rounded into its storage type (the C++
// casts for double and float; the library's conversion for the others), the constants and types
// are the ones asked for, and the flash and readout networks made from the header compute what a
// network holding the same values in RAM computes, bit for bit.
#include <cstring>
#include <functional>
#include <type_traits>

#include <gtest/gtest.h>

#include "export_blob_f16_float.hpp"
#include "export_blob_q3_12.hpp"
#include "export_fixture.hpp"
#include "export_npy_bf16.hpp"
#include "export_npy_double.hpp"
#include "export_npy_f16.hpp"
#include "export_npy_float.hpp"
#include "export_npy_q3_12.hpp"
#include "export_npy_q4_27_double.hpp"
#include "twolayer/io/blob.hpp"
#include "twolayer/model/init.hpp"
#include "twolayer/teacher/rng.hpp"

namespace fx = export_fixture;
using namespace twolayer;

namespace {

template <class S>
using expected_fn = std::function<S(std::size_t)>;

template <class S>
::testing::AssertionResult same_bits(const S& got, const S& want, const char* array, std::size_t i) {
    if (twolayer::detail::bits_of(got) == twolayer::detail::bits_of(want)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << array << "[" << i << "]: bits " << std::hex << twolayer::detail::bits_of(got)
                                         << ", expected " << twolayer::detail::bits_of(want);
}

// The arrays, through the header's flash_weights, against the expected values of fixture indices.
template <class F, index_t N, index_t P>
void check_arrays(const flash_weights<F, N, P>& w, const expected_fn<storage_t<F>>& expected, bool biases) {
    ASSERT_EQ(std::size_t(N), fx::N);
    ASSERT_EQ(std::size_t(P), fx::P);
    for (std::size_t i = 0; i < fx::P * fx::N; ++i) EXPECT_TRUE(same_bits(w.W.data()[i], expected(i), "W", i));
    for (std::size_t k = 0; k < fx::P; ++k) EXPECT_TRUE(same_bits(w.v[index_t(k)], expected(fx::P * fx::N + k), "v", k));
    ASSERT_EQ(w.has_hidden_bias(), biases);
    ASSERT_EQ(w.has_output_bias(), biases);
    if (!biases) return;
    for (std::size_t k = 0; k < fx::P; ++k)
        EXPECT_TRUE(same_bits(w.b[index_t(k)], expected(fx::P * fx::N + fx::P + k), "b", k));
    EXPECT_TRUE(same_bits(*w.c, expected(fx::values - 1), "c", 0));
}

// A RAM network with the expected values; the header's two network types on 16 Gaussian inputs
// give its outputs' bits.
template <class F, index_t N, index_t P, class Act>
void check_networks(const flash_weights<F, N, P>& w, const expected_fn<storage_t<F>>& expected, bool biases) {
    static network<F, N, P, Act> ram;
    for (index_t i = 0; i < P * N; ++i) ram.W_mut().flat()[i] = expected(std::size_t(i));
    for (index_t k = 0; k < P; ++k) {
        ram.v_mut()[k] = expected(std::size_t(P * N + k));
        ram.hidden_bias_mut()[k] = expected(std::size_t(P * N + P + k));
    }
    ram.set_output_bias(expected(fx::values - 1));
    ram.use_hidden_bias(biases);
    ram.use_output_bias(biases);
    flash_network<F, N, P, Act> flash(w);
    readout_network<F, N, P, Act> readout(w);
    gaussian_rng g(9);
    for (int s = 0; s < 16; ++s) {
        storage_t<F> x[N];
        for (auto& xi : x) xi = format_traits<F>::from_double(g.next());
        const compute_t<F> want = ram.forward(x), a = flash.forward(x), b = readout.forward(x);
        EXPECT_EQ(std::memcmp(&a, &want, sizeof a), 0) << "flash_network, sample " << s;
        EXPECT_EQ(std::memcmp(&b, &want, sizeof b), 0) << "readout_network, sample " << s;
    }
}

// The fixture's value i rounded into S by the library's conversion.
template <class S>
S rounded(std::size_t i) {
    return format_traits<S>::from_double(fx::value(i));
}

}  // namespace

// Each case: the header's format and activation types, its arrays, its networks.
#define TL_EXPORT_CASE(ns, F, Act, expected, biases)                                                   \
    static_assert(std::is_same<ns::format, F>::value, #ns ": format");                                 \
    static_assert(std::is_same<ns::activation, Act>::value, #ns ": activation");                       \
    static_assert(std::is_same<ns::flash_network, flash_network<F, ns::N, ns::P, Act>>::value, #ns);    \
    static_assert(std::is_same<ns::readout_network, readout_network<F, ns::N, ns::P, Act>>::value, #ns); \
    check_arrays<F, ns::N, ns::P>(ns::weights, expected, biases);                                      \
    check_networks<F, ns::N, ns::P, Act>(ns::weights, expected, biases)

TEST(ExportHeader, FromNpyDoubleAndFloat) {
    TL_EXPORT_CASE(exported::npy_double, double, act::erf, [](std::size_t i) { return fx::value(i); }, true);
    TL_EXPORT_CASE(exported::npy_float, float, act::tanh, [](std::size_t i) { return float(fx::value(i)); }, true);
    // The edge values kept their bits: -0 its sign, the double subnormal its value.
    EXPECT_TRUE(std::signbit(exported::npy_double::W[0]) && std::signbit(exported::npy_float::W[0]));
    EXPECT_EQ(exported::npy_double::W[1], 1e-310);
}

TEST(ExportHeader, FromNpyNarrowFormats) {
    TL_EXPORT_CASE(exported::npy_f16, f16, act::erf, rounded<f16>, true);
    TL_EXPORT_CASE(exported::npy_bf16, bf16, act::sigmoid, rounded<bf16>, true);
    TL_EXPORT_CASE(exported::npy_q3_12, q3_12, act::erf, rounded<q3_12>, true);
    using q4_27_double = mixed<q4_27, double>;
    TL_EXPORT_CASE(exported::npy_q4_27_double, q4_27_double, act::linear, rounded<q4_27>, true);
    EXPECT_EQ(exported::npy_f16::W[2].bits, f16(3e-7).bits);  // a subnormal f16, 5 units of 2^-24
    EXPECT_NE(exported::npy_f16::W[2].bits, 0);
    EXPECT_EQ(exported::npy_q3_12::W[3].raw, 32767);   // 7.9998: the largest q3_12
    EXPECT_EQ(exported::npy_q3_12::W[4].raw, -32768);  // -8: the smallest
}

TEST(ExportHeader, FromBlobs) {
    // Its own format and activation from the blob: the same bits as the network saved.
    TL_EXPORT_CASE(exported::blob_q3_12, q3_12, act::tanh, rounded<q3_12>, true);
    // f16 values into float arrays: exact, and the unused biases are not exported.
    TL_EXPORT_CASE(exported::blob_f16_float, float, act::relu,
                   [](std::size_t i) { return float(rounded<f16>(i).to_double()); }, false);
}
