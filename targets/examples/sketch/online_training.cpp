// Example sketch: a tiny network trained on the device, a few hundred online SGD steps on a
// linear read-out of Gaussian inputs, and a check of the build's floating-point contraction.
// One source for every way of building it: the Arduino library installs it as
// examples/online_training/online_training.ino (setup() and loop(), output on Serial); PlatformIO
// and plain builds compile it as a .cpp with a main() (bare metal: output through semihosting
// with -DTWOLAYER_SKETCH_SEMIHOST, as tests/packaging does under QEMU; elsewhere stdio).
// Exit code (main): 0 when every step was accepted and the loss fell.
#include "twolayer/core/fp_contract.hpp"
#include "twolayer/teacher/gaussian_block.hpp"
#include "twolayer/twolayer.hpp"

namespace sketch {
using namespace twolayer;
constexpr index_t N = 8, P = 4;
constexpr unsigned STEPS = 400, WINDOW = 50;

network<float, N, P, act::tanh> student;
online_sgd<float> sgd;
float x[N];

// 0: trained (the last WINDOW steps' mean loss below the first WINDOW's), 1: a step refused,
// 2: the loss did not fall.
int train() {
    gaussian_block<float> init(7, 0);
    init_network(student, init, second_layer_init::inv_sqrt_p);
    train_config<float> c;
    c.lr_w = c.lr_v = 0.5f;
    sgd = online_sgd<float>(c);
    gaussian_block<float> sensor(7, 1);
    float first = 0.0f, last = 0.0f;
    for (unsigned step = 0; step < STEPS; ++step) {
        sensor.fill(x, N);
        const float y = 0.5f * (x[0] - x[1]) + 0.25f * x[2];
        const step_result<float> r = sgd.step(student, x, y);
        if (!r.ok()) return 1;
        if (step < WINDOW) first += r.loss;
        if (step >= STEPS - WINDOW) last += r.loss;
    }
    return last < first ? 0 : 2;
}

const char* verdict(int rc) {
    return rc == 0 ? "sketch: trained, loss fell\n" : rc == 1 ? "sketch: a step was refused\n"
                                                              : "sketch: the loss did not fall\n";
}

// fp_contract_off() is compiled with this file's flags: it says whether this build fuses a * b + c.
const char* contraction() {
    return twolayer::fp_contract_off() ? "sketch: fp_contract_off=1\n"
                                       : "sketch: fp_contract_off=0 (built with FP contraction: "
                                         "results not bit-identical to the host)\n";
}
}  // namespace sketch

#if defined(ARDUINO)
void setup() {
    Serial.begin(115200);
    const int rc = sketch::train();
    Serial.print(sketch::verdict(rc));
    Serial.print(sketch::contraction());
}
void loop() {}
#else
#if defined(TWOLAYER_SKETCH_SEMIHOST)
extern "C" void twolayer_semihost_write0(const char* s);  // targets/cortex-m/semihost.cpp
static void say(const char* s) { twolayer_semihost_write0(s); }
#else
#include <cstdio>
static void say(const char* s) { std::fputs(s, stdout); }
#endif
int main() {
    const int rc = sketch::train();
    say(sketch::verdict(rc));
    say(sketch::contraction());
    return rc;
}
#endif
