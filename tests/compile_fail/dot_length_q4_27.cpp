// q4_27 sums its products exactly in int64, each product shifted to at most 2^46 in magnitude:
// 2^17 inputs of -16 times weights of -16 sum to 2^63, one past INT64_MAX (undefined behaviour).
// The largest N that cannot overflow is 2^17 - 1 = 131071 (test_numbers_edge compiles that one).
// expect-error: N exceeds max_dot_length_v<F>
// expect-errors: 1
#include "twolayer/twolayer.hpp"
twolayer::network<twolayer::q4_27, 131072, 1> net;
