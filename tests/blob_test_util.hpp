// Helpers of the weight-blob and checkpoint tests (tests/test_blob*.cpp, test_checkpoint.cpp):
// the bytes of a whole object (for "the destination is byte-identical" checks), a network with
// random weights and chosen biases, and a CRC rewritten after a deliberate edit of a blob.
#pragma once
#include <cstring>

#include "test_util.hpp"

namespace tl_test {

// Every byte of an object, padding included: a failed load must not write one of them.
template <class T>
struct object_bytes {
    unsigned char b[sizeof(T)];
    explicit object_bytes(const T& t) { std::memcpy(b, static_cast<const void*>(&t), sizeof b); }
    bool same_as(const T& t) const { return std::memcmp(b, static_cast<const void*>(&t), sizeof b) == 0; }
};

// net drawn by init_network from gaussian_rng(seed), biases on as asked and drawn N(0, 1/4)
// (converted to the storage type), so every parameter of the payload has its own value.
template <class Net>
void random_network(Net& net, std::uint64_t seed, bool hidden_bias = true, bool output_bias = true) {
    using F = typename Net::format;
    twolayer::gaussian_rng g(seed);
    twolayer::init_network(net, g, twolayer::second_layer_init::inv_sqrt_p);
    for (twolayer::index_t k = 0; k < Net::hidden(); ++k)
        net.hidden_bias_mut()[k] = twolayer::format_traits<F>::from_double(0.5 * g.next());
    net.set_output_bias(twolayer::format_traits<F>::from_double(0.5 * g.next()));
    net.use_hidden_bias(hidden_bias);
    net.use_output_bias(output_bias);
}

// Rewrites the CRC of the blob of `size` bytes at blob (its last four bytes) after an edit, so
// that only the check the edit is aimed at can catch it.
inline void recompute_crc(std::uint8_t* blob, std::size_t size) {
    twolayer::detail::put_le(blob + size - 4, twolayer::crc32(blob, size - 4), 4);
}

}  // namespace tl_test
