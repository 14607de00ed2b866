// A batch trainer of one number format cannot train a network of another: one static_assert
// says so.
// expect-error: gd_trainer<F, ...>: the network's number format is not the trainer's
// expect-errors: 1
#include "twolayer/twolayer.hpp"
using namespace twolayer;
void f() {
    static network<float, 8, 2> net;
    static dataset<float, 4, 8> data;
    gd_trainer<double, 8, 2> gd;
    gd.full_batch(net, data);
}
