// A static-extent view takes its size from its type: a run-time size that could disagree with it
// (vec_view<const float, 64>(p, 4) claimed 64 elements) does not compile.
// expect-error: a static extent's size is E
#include "twolayer/twolayer.hpp"
const float data[4] = {};
const twolayer::vec_view<const float, 64> x(data + 0, 4);
