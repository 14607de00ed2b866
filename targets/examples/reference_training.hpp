// The reference firmware's work, written once for the board (float) and the host (double):
// a tanh student (N = 64, P = 16, biases in both layers) learns a tanh teacher (P* = 2) by online
// SGD on a Gaussian stream; every report_every steps it measures the generalization error on a
// fixed set of fresh inputs. Output goes through Out::line(const char*), so the board needs no
// printf (newlib's would link malloc).
#pragma once
#include "common/text.hpp"
#include "twolayer/twolayer.hpp"

namespace reference {

constexpr twolayer::index_t N = 64, P = 16, P_TEACHER = 2;
// Seed of the experiment; stream INIT_STREAM draws the networks, TRAINING_STREAM the inputs.
constexpr std::uint64_t SEED = 2024, INIT_STREAM = 0, TRAINING_STREAM = 2;
constexpr unsigned long STEPS = 200 * N, REPORT_EVERY = 20 * N, TEST_SAMPLES = 256;

template <class T>
struct model {
    twolayer::network<T, N, P, twolayer::act::tanh> student;
    twolayer::network<T, N, P_TEACHER, twolayer::act::tanh> teacher;
    twolayer::online_sgd<T> sgd;
    T x[N];
};

using example_text::put_sci;
using example_text::put_uint;

// The training step the footprint report measures (kept out of line for -fstack-usage).
template <class T>
__attribute__((noinline)) twolayer::step_result<T> train_step(model<T>& m, T y) {
    return m.sgd.step(m.student, m.x, y);
}

template <class T>
__attribute__((noinline)) T inference(model<T>& m) {
    return m.student.forward(m.x);
}

template <class T, class Out>
double test_error(model<T>& m) {
    twolayer::gaussian_rng test_stream(7, 1);  // the same test inputs at every report
    double acc = 0;
    for (unsigned long i = 0; i < TEST_SAMPLES; ++i) {
        for (T& xi : m.x) xi = test_stream.gaussian<T>();
        const double d = double(inference(m)) - double(m.teacher.forward(m.x));
        acc += 0.5 * d * d;
    }
    return acc / double(TEST_SAMPLES);
}

// The initial state of the experiment: teacher and student drawn, biases on, the trainer set up.
// (Also used by the instruction-count benchmark, targets/bench, to measure this very step.)
// (always inlined: the firmware's flash stays what it was before setup was factored out)
template <class T>
__attribute__((always_inline)) inline void setup(model<T>& m) {
    using namespace twolayer;
    gaussian_rng init(SEED, INIT_STREAM);
    init_network(m.teacher, init);
    init_network(m.student, init, second_layer_init::inv_sqrt_p);
    m.student.use_hidden_bias(true);
    m.student.use_output_bias(true);
    train_config<T> c;
    c.lr_w = T(0.5);
    c.lr_v = T(0.5);
    c.lr_b = T(0.5);
    m.sgd = online_sgd<T>(c);
}

// Runs the whole experiment; returns 0 on success.
template <class T, class Out>
int run(model<T>& m) {
    using namespace twolayer;
    setup(m);
    gaussian_rng stream(SEED, TRAINING_STREAM);
    Out::line("step eps_g");
    for (unsigned long step = 0; step <= STEPS; ++step) {
        if (step % REPORT_EVERY == 0) {
            char buf[64];
            char* p = put_uint(buf, step);
            *p++ = ' ';
            p = put_sci(p, test_error<T, Out>(m));
            *p = 0;
            Out::line(buf);
        }
        if (step == STEPS) break;
        for (T& xi : m.x) xi = stream.gaussian<T>();
        const T y = m.teacher.forward(m.x);
        if (!train_step(m, y)) {
            Out::line("training step refused");
            return 1;
        }
    }
    return 0;
}

}  // namespace reference
