// The training image of the size target in docs/TARGETS.md: what a device needs to learn on line
// and nothing else. The reference network (N = 64, P = 16, tanh, float, biases in both layers),
// its initialization from the library's float Gaussian sampler (teacher/gaussian_block.hpp: float
// arithmetic only, so no software double is linked), the guarded online SGD step, and a sample
// source standing in for a sensor: it fills the input buffer from another stream of the sampler;
// the label is a fixed linear read-out of the input (where the labels come from is the
// application's business). No output code: the exit code says whether every step was accepted and
// the loss went down. tools/footprint reports its flash, its RAM and the bytes of the network and
// trainer objects (g_student, g_sgd) against the parameter bytes.
#include "twolayer/teacher/gaussian_block.hpp"
#include "twolayer/twolayer.hpp"

using namespace twolayer;

namespace {
constexpr index_t N = 64, P = 16;
constexpr unsigned STEPS = 4000, WINDOW = 500;
}  // namespace

// Not static: tools/footprint reads their sizes from the symbol table.
network<float, N, P, act::tanh> g_student;
online_sgd<float> g_sgd;
float g_x[N];

int main() {
    gaussian_block<float> init(2024, 0);
    init_network(g_student, init, second_layer_init::inv_sqrt_p);
    g_student.use_hidden_bias(true);
    g_student.use_output_bias(true);
    train_config<float> c;
    c.lr_w = c.lr_v = c.lr_b = 0.5f;
    g_sgd = online_sgd<float>(c);

    gaussian_block<float> sensor(2024, 2);
    float first = 0.0f, last = 0.0f;
    for (unsigned step = 0; step < STEPS; ++step) {
        sensor.fill(g_x, N);
        const float y = 0.5f * (g_x[0] - g_x[1]) + 0.25f * g_x[2];
        const step_result<float> r = g_sgd.step(g_student, g_x, y);
        if (!r.ok()) return 2;
        if (step < WINDOW) first += r.loss;
        if (step >= STEPS - WINDOW) last += r.loss;
    }
    return last < 0.5f * first ? 0 : 3;  // learning happened: the loss at least halved
}
