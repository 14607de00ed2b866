// The soak (issue 18 item 6): the reference firmware's network and teacher
// (targets/examples/reference_training.hpp: N = 64, P = 16, tanh, biases, float, its setup and
// its Gaussian stream) trained for STEPS online SGD steps on the host. Every step must be
// accepted; every CHECK_EVERY steps every weight and bias must be finite (math::isfinite, by the
// bits); the generalization error, on the firmware's own 256 fixed test inputs, is recorded at
// each decade. The floor: the teacher has no label noise and the student can represent it, so the
// error falls until float's rounding stops it; the test asserts that it fell by FALL from the
// start, and that it did not rise over the last decade (the error at the end at most RISE times
// the least error seen from STEPS / 10 on): a run at its floor stays there, one that drifts
// (a slowly growing weight, a bias walking away) fails. Output: one line per decade.
//   test_soak              10^7 steps (ctest soak_1e7, label soak)
//   test_soak 1000000      10^6 steps (ctest soak_1e6)
#include <cstdio>
#include <cstdlib>

#include "reference_training.hpp"

namespace {

using namespace twolayer;

constexpr unsigned long CHECK_EVERY = 10000;
constexpr double FALL = 1e-3, RISE = 2.0;

struct quiet_out {
    static void line(const char*) {}
};

template <class Net>
bool all_finite(const Net& net) {
    for (index_t k = 0; k < Net::hidden(); ++k) {
        for (index_t i = 0; i < Net::inputs(); ++i)
            if (!math::isfinite(net.W()(k, i))) return false;
        if (!math::isfinite(net.v()[k]) || !math::isfinite(net.hidden_bias()[k])) return false;
    }
    return math::isfinite(net.output_bias());
}

reference::model<float> g_model;

}  // namespace

int main(int argc, char** argv) {
    const unsigned long steps = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000000ul;
    reference::model<float>& m = g_model;
    reference::setup(m);
    gaussian_rng stream(reference::SEED, reference::TRAINING_STREAM);
    const double start = reference::test_error<float, quiet_out>(m);
    std::printf("step 0 eps_g %.6e\n", start);
    double least_late = 1e300, last = start;
    unsigned long next_report = 10;
    for (unsigned long step = 1; step <= steps; ++step) {
        for (float& xi : m.x) xi = stream.gaussian<float>();
        const float y = m.teacher.forward(m.x);
        if (!reference::train_step(m, y)) {
            std::printf("[FAIL] step %lu refused\n", step);
            return 1;
        }
        if (step % CHECK_EVERY == 0 && !all_finite(m.student)) {
            std::printf("[FAIL] a weight is not finite at step %lu\n", step);
            return 1;
        }
        if (step == next_report || step == steps) {
            last = reference::test_error<float, quiet_out>(m);
            std::printf("step %lu eps_g %.6e\n", step, last);
            if (step >= steps / 10 && last < least_late) least_late = last;
            next_report *= 10;
        }
    }
    const bool fell = last <= FALL * start, flat = last <= RISE * least_late;
    std::printf("[%s] eps_g fell from %.6e to %.6e (at most %g of it)\n", fell ? " ok " : "FAIL", start, last, FALL);
    std::printf("[%s] eps_g at the end %.6e, least from step %lu on %.6e (at most %g times it)\n", flat ? " ok " : "FAIL",
                last, steps / 10, least_late, RISE);
    std::printf("%d passed, %d failed\n", int(fell) + int(flat), 2 - int(fell) - int(flat));
    return fell && flat ? 0 : 1;
}
