// Example: retraining the readout on the device, the first layer left in flash.
//
// The first layer (first_layer.hpp: const arrays, so the linker keeps them in flash) is read in
// place by a readout_network; only the readout v and the output bias c live in RAM. The board
// draws a small labelled set from an imbalanced two-class Gaussian mixture (one sample in ten of
// the minority class +1, the rest of the majority class -1) and retrains the readout in closed
// form (readout_ridge, weighted least squares), twice: with the plain squared loss, and with the
// minority class weighted up by the imbalance (9 to 1), as a device would to stop a rare event
// from being drowned out. Each readout is scored on fresh samples of the same mixture: the
// fraction of each class classified wrong (by the sign of the output).
//
// Output (checked by check_example.py): "readout <initial|plain|weighted> majority_error <e>
// minority_error <e>" lines. Exit code 0 when both solves succeeded.
#include "common/report.hpp"
#include "first_layer.hpp"
#include "twolayer/twolayer.hpp"

using namespace twolayer;

namespace {
constexpr index_t N = first_layer::N, P = first_layer::P;
constexpr index_t M = 200;                  // labelled samples kept in RAM for the retraining
constexpr index_t TEST = 4000;              // fresh samples scored one at a time (not stored)
constexpr index_t MINORITY_EVERY = 10;      // sample i is of the minority class when i % 10 == 0
constexpr float SEPARATION = 2.0f;          // distance between the class means (in standard deviations)
constexpr double LAMBDA = 1e-2;             // ridge penalty on v

using net_t = readout_network<float, N, P, act::tanh>;
net_t g_net{mat_view<const float, P, N>(first_layer::W), vec_view<const float, P>(first_layer::b)};
dataset<float, M, N> g_train;  // static: .bss, not the stack
readout_ridge<P> g_ridge;

// Sample i of the mixture into x, returning its label: the majority class -1 around the origin,
// the minority class +1 around SEPARATION along the diagonal (1, ..., 1) / sqrt(N).
float draw(gaussian_rng& rng, index_t i, float* x) {
    const bool minority = i % MINORITY_EVERY == 0;
    const float shift = minority ? SEPARATION / math::sqrt(float(N)) : 0.0f;
    for (index_t j = 0; j < N; ++j) x[j] = rng.gaussian<float>() + shift;
    return minority ? 1.0f : -1.0f;
}

// Scores the current readout on TEST fresh samples (the same stream for every readout) and prints
// each class's error rate.
void report(const char* name) {
    gaussian_rng rng(18, 2);
    unsigned long wrong[2] = {0, 0}, seen[2] = {0, 0};  // [0]: majority, [1]: minority
    float x[N];
    for (index_t i = 0; i < TEST; ++i) {
        const float y = draw(rng, i, x);
        const int c = y > 0 ? 1 : 0;
        ++seen[c];
        if ((g_net.forward(x) > 0) != (y > 0)) ++wrong[c];
    }
    example_text::line()
        .text("readout ")
        .text(name)
        .text(" majority_error ")
        .sci(double(wrong[0]) / double(seen[0]))
        .text(" minority_error ")
        .sci(double(wrong[1]) / double(seen[1]))
        .print();
}

// Retrains the readout (v and c) on g_train with the given class weights; false after printing
// the status when the solve refused (the readout is then unchanged).
bool retrain(const char* name, float minority_weight) {
    weighted_squared_loss<float> loss;
    loss.weight_positive = minority_weight;  // label +1: the minority class
    const ridge_result r = g_ridge.solve(g_net, g_train, loss, LAMBDA);
    if (!r.ok()) {
        example_text::line().text("readout ").text(name).text(" refused: ").text(to_string(r.status)).print();
        return false;
    }
    report(name);
    return true;
}
}  // namespace

int main() {
    gaussian_rng rng(18, 1);
    for (index_t i = 0; i < M; ++i) g_train.y[i] = draw(rng, i, g_train.sample(i).data());
    g_net.use_output_bias(true);  // the class threshold: without it the imbalance cannot be offset

    report("initial");  // the readout as constructed: v = 1, c = 0
    const float imbalance = float(MINORITY_EVERY - 1);
    const bool ok = retrain("plain", 1.0f) && retrain("weighted", imbalance);
    return ok ? 0 : 1;
}
