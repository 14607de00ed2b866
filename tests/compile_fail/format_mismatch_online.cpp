// A trainer of one number format cannot step a network of another: one static_assert says so.
// expect-error: online_sgd<F>: the network's number format is not the trainer's
// expect-errors: 1
#include "twolayer/twolayer.hpp"
using namespace twolayer;
void f() {
    network<double, 8, 2> net;
    double x[8] = {};
    online_sgd<float> sgd;
    sgd.step(net, x, 0.5f);
}
