#include <cstdio>
#include "twolayer/twolayer.hpp"
using namespace twolayer;

int main() {
    constexpr index_t N = 100;
    network<float, N, 2, act::erf> teacher;                   // P* = 2 hidden units
    network<float, N, 4, act::erf> student;                   // P = 4: overparameterized
    gaussian_rng rng(/*seed=*/1);
    init_network(teacher, rng);
    init_network(student, rng, second_layer_init::inv_p);
    online_sgd<float> sgd;                                    // lr 1, teacher-student scaling
    float x[N];                                               // the sample: a plain array
    double eg = 0;
    for (index_t step = 1; step <= 500 * N; ++step) {        // t = steps / N = 500
        for (float& xi : x) xi = rng.gaussian<float>();
        step_result<float> r = sgd.step(student, x, teacher.forward(x));
        if (!r) return 1;                                     // refused: weights untouched
        if (step > 490 * N) eg += r.loss / (10 * N);          // fresh samples: loss estimates eps_g
    }
    std::printf("eps_g at t = 490..500: %.2e\n", eg);
}
