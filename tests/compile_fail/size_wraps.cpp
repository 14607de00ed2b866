// W is one array of P * N values. With sizes whose product wraps in index_t (std::size_t) the
// array would silently be small: on a 32-bit target network<float, 65536, 65537> would get a W of
// 65,536 floats (65536 * 65537 = 2^32 + 65536). The same wrap is made here on the host, whose
// size_t has 64 bits, with 2^32 x (2^32 + 1); the compile-fail tests run with the host compiler
// (and with a cross compiler where TWOLAYER_COMPILE_FAIL_TESTS is set: the 32-bit sizes then).
// expect-error: P * N weights do not fit in memory
// expect-errors: 1
#include <cstddef>

#include "twolayer/twolayer.hpp"

constexpr twolayer::index_t half_bits = 4 * sizeof(std::size_t);  // 32 on 64-bit, 16 on 32-bit
constexpr twolayer::index_t P = twolayer::index_t(1) << half_bits;
constexpr twolayer::index_t N = P + 1;  // P * N = 2^(2 half_bits) + P: wraps to P
static_assert(P * N == P, "the product wraps (this file's premise)");
constexpr std::size_t size_of_net = sizeof(twolayer::network<float, N, P>);
