// A network with no inputs cannot work.
// expect-error: N (inputs) must be at least 1
#include "twolayer/twolayer.hpp"
twolayer::network<float, 0, 4> net;
