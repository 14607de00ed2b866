// Instructions of the fused teacher-student step on the host, counted by callgrind (deterministic,
// unlike timings on a shared VM): 2000 steps of online_sgd::step(net, x, y, x_next) at N = 512,
// P = 8, P* = 2, plus the teacher's forward pass and a cheap next sample. Not part of the build;
// valgrind has no AVX-512, so build it for AVX2 + FMA:
//   g++ -std=c++17 -O3 -DNDEBUG -mavx2 -mfma -ffp-contract=off -Iinclude tools/bench/step_insns.cpp -o /tmp/step_insns
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null /tmp/step_insns      (float)
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null /tmp/step_insns d    (double)
// ("Collected" is the total; it compares two versions of the library on the same machine.)
#include <cstdio>
#include "twolayer/twolayer.hpp"
using namespace twolayer;
template <class T> int run() {
    constexpr index_t N = 512, P = 8;
    static network<T, N, 2> teacher; static lookahead_network<T, N, P> student;
    gaussian_rng rng(1);
    init_network(teacher.ref(), rng); init_network(student.ref(), rng);
    online_sgd<T> sgd; sgd.config.lr_w = T(0.1);
    static T xs[2][N];
    for (auto& v : xs[0]) v = rng.gaussian<T>();
    int bad = 0;
    for (int s = 0; s < 2000; ++s) {
        T* x = xs[s & 1]; T* xn = xs[(s + 1) & 1];
        for (index_t j = 0; j < N; ++j) xn[j] = T(0.999) * x[(j + 1) % N];
        vec_view<const T, N> xv(x), xnv(xn);
        const T y = teacher.forward(xv);
        if (!sgd.step(student, xv, y, xnv)) ++bad;
    }
    return bad;
}
int main(int argc, char**) { return argc > 1 ? run<double>() : run<float>(); }
