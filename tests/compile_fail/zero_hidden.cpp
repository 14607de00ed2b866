// A network with no hidden units cannot work.
// expect-error: P (hidden units) must be at least 1
#include "twolayer/twolayer.hpp"
twolayer::network<double, 8, 0> net;
