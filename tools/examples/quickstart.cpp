#include <cstdio>
#include "twolayer/twolayer.hpp"
using namespace twolayer;

int main() {
    constexpr index_t N = 100;
    network<float, N, 2, act::erf> teacher;                  // P* = 2 hidden units
    network<float, N, 4, act::erf> student;                  // P = 4: overparameterized
    gaussian_rng rng(/*seed=*/1);
    init_network(teacher.ref(), rng);
    init_network(student.ref(), rng, second_layer_init::inv_p);
    online_sgd<float> sgd;                                   // lr 1, teacher-student scaling
    float x[N];
    vec_view<const float, N> xv(x, N);
    auto draw = [&] { for (float& xi : x) xi = rng.gaussian<float>(); };
    for (index_t step = 0; step < 500 * N; ++step) {         // t = steps / N = 500
        draw();
        if (!sgd.step(student, xv, teacher.forward(xv))) return 1;  // refused: weights untouched
    }
    double eg = 0;                                           // eps_g on 10^4 fresh inputs
    for (int i = 0; i < 10000; ++i) {
        draw();
        const double d = student.forward(xv) - teacher.forward(xv);
        eg += 0.5 * d * d / 10000;
    }
    std::printf("eps_g after t = 500: %.2e\n", eg);
}
