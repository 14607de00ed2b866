// A sample of another static size than the network's is refused at compile time (the dynamic
// path returns step_status::size_mismatch instead).
// expect-error: the sample has a different number of inputs than the network
#include "twolayer/twolayer.hpp"
twolayer::network<float, 8, 2> net;
float x[4] = {};
twolayer::online_sgd<float> sgd;
auto r = sgd.step(net, x, 0.5f);
