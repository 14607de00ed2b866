// The destination networks of the weight-blob fuzzer (fuzz_blob.cpp) and of its seed corpus
// (make_blob_corpus.cpp): a float, a q3_12 (every bit pattern a value), an f16 and a double
// network, of a few small sizes and activations, so that a blob written for one of them is
// loaded by it and refused, for the right reason, by the others.
#pragma once
#include <cstdint>

#include "twolayer/io/blob.hpp"
#include "twolayer/model/init.hpp"
#include "twolayer/teacher/rng.hpp"

namespace fuzz_blob {

using namespace twolayer;

using float_2_1_linear = network<float, 2, 1, act::linear>;
using float_4_3_tanh = network<float, 4, 3, act::tanh>;
using q3_12_3_2_relu = network<q3_12, 3, 2, act::relu>;
using f16_2_2_erf = network<f16, 2, 2, act::erf>;
using double_1_2_sigmoid = network<double, 1, 2, act::sigmoid>;

// The largest blob of these (a buffer for save_blob).
constexpr std::size_t max_blob_bytes = blob_size<float_4_3_tanh>() > blob_size<double_1_2_sigmoid>()
                                           ? blob_size<float_4_3_tanh>()
                                           : blob_size<double_1_2_sigmoid>();

// Calls f(Net&) with one static network of each type, in a fixed order.
template <class Fn>
void for_each_network(Fn&& f) {
    static float_2_1_linear a;
    static float_4_3_tanh b;
    static q3_12_3_2_relu c;
    static f16_2_2_erf d;
    static double_1_2_sigmoid e;
    f(a);
    f(b);
    f(c);
    f(d);
    f(e);
}

// net with weights drawn from gaussian_rng(seed), biases drawn too and switched on as given
// (bit 0 hidden, bit 1 output: blob_layout's bias bits), so every payload value is its own.
template <class Net>
void fill(Net& net, std::uint64_t seed, std::uint8_t biases) {
    using F = typename Net::format;
    gaussian_rng g(seed);
    init_network(net, g, second_layer_init::inv_sqrt_p);
    for (index_t k = 0; k < Net::hidden(); ++k) net.hidden_bias_mut()[k] = format_traits<F>::from_double(0.5 * g.next());
    net.set_output_bias(format_traits<F>::from_double(0.5 * g.next()));
    net.use_hidden_bias((biases & blob_layout::bias_hidden) != 0);
    net.use_output_bias((biases & blob_layout::bias_output) != 0);
}

}  // namespace fuzz_blob
