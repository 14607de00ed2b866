// Example: on-device online training from a stream the board generates itself.
//
// A teacher network (teacher_stream: N = 32 inputs, 2 erf units) labels fresh Gaussian inputs;
// a student (4 erf units, float, weights in static memory) learns it by guarded online SGD, one
// sample per step, as a device would learn from a sensor. Every REPORT_EVERY steps the program
// prints the exact generalization error eps_g = 0.5 E[(student - teacher)^2] over all inputs,
// from the closed form for erf networks (teacher/generalization_error.hpp: no test set needed).
// A step the guard refuses leaves the weights as they were and is counted, not hidden.
//
// Output (checked by check_example.py): "step <n> eps_g <value>" lines, then
// "accepted <a> refused <r>". Exit code 0 when every step was accepted.
#include "common/report.hpp"
#include "twolayer/twolayer.hpp"

using namespace twolayer;

namespace {
constexpr index_t N = 32, P = 4, P_TEACHER = 2;
constexpr unsigned long STEPS = 400 * N, REPORT_EVERY = 50 * N;

// Static: the networks and the trainer live in .bss, not on the stack.
teacher_stream<float, N, P_TEACHER, act::erf> g_stream(2024);
network<float, N, P, act::erf> g_student;
online_sgd<float> g_sgd;
float g_x[N];

void report(unsigned long step) {
    example_text::line()
        .text("step ")
        .count(step)
        .text(" eps_g ")
        .sci(generalization_error(g_student, g_stream.teacher()))
        .print();
}
}  // namespace

int main() {
    gaussian_rng init(2024, 9);  // the student's initial weights: a stream the teacher does not use
    init_network(g_student, init, second_layer_init::inv_sqrt_p);
    train_config<float> c;
    c.lr_w = c.lr_v = 0.5f;
    c.weight_limit = 100.0f;  // a run left alone on a device: refuse any step that would blow up
    g_sgd = online_sgd<float>(c);

    unsigned long accepted = 0, refused = 0;
    for (unsigned long step = 0; step < STEPS; ++step) {
        if (step % REPORT_EVERY == 0) report(step);
        const float y = g_stream.draw(g_x);
        if (g_sgd.step(g_student, g_x, y).ok())
            ++accepted;
        else
            ++refused;
    }
    report(STEPS);
    example_text::line().text("accepted ").count(accepted).text(" refused ").count(refused).print();
    return refused == 0 ? 0 : 1;
}
