// One teacher-student online SGD step (teacher forward, student forward, backward, update of
// both layers), float and double, for several N and P:
//   twolayer on the scalar reference kernels, twolayer on the xsimd kernels, and the peer a user
//   would write instead: a hand-written Eigen fixed-size implementation of the same step.
// Variants "given_x" (the sample is already in memory) and "drawn_x" (the step also draws x:
// twolayer's Gaussian stream vs Eigen + std::normal_distribution).
// Counters: MACs = 3 P N + P* N multiply-adds per step (teacher and student forward, update).
#define EIGEN_STACK_ALLOCATION_LIMIT 0  // fixed-size objects are static here, never on the stack
#include <benchmark/benchmark.h>

#include <Eigen/Dense>
#include <cmath>
#include <random>

#include "twolayer/kernels/xsimd.hpp"
#include "twolayer/twolayer.hpp"

namespace tl = twolayer;

namespace {

constexpr tl::index_t PT = 2;  // teacher width

enum class source { given, drawn };

template <class T, tl::index_t N>
struct sample_buffer {
    alignas(64) T x[N];
};

template <class T, tl::index_t N, tl::index_t P, class Arch, source S>
void bm_twolayer(benchmark::State& st) {
    static tl::network<T, N, PT, tl::act::erf> teacher;
    static tl::network<T, N, P, tl::act::erf> student;
    static sample_buffer<T, N> buf;
    tl::gaussian_rng rng(1);
    tl::init_network(teacher.ref(), rng);
    tl::init_network(student.ref(), rng, tl::second_layer_init::inv_p);
    for (auto& xi : buf.x) xi = rng.gaussian<T>();
    tl::train_config<T> c;
    c.lr_w = T(0.1);
    c.lr_v = T(0.1);
    tl::online_sgd<T> sgd(c);
    const tl::vec_view<const T, N> xv(buf.x, N);
    for (auto _ : st) {
        if (S == source::drawn)
            for (auto& xi : buf.x) xi = rng.gaussian<T>();
        const T y = teacher.forward(xv, Arch{});
        auto r = sgd.step(student, xv, y, Arch{});
        benchmark::DoNotOptimize(r);
    }
    st.counters["MACs"] = benchmark::Counter(double(3 * P * N + PT * N) * double(st.iterations()),
                                             benchmark::Counter::kIsRate);
}

// The peer: the same step written directly with Eigen fixed-size types.
template <class T, tl::index_t N, tl::index_t P, source S>
void bm_eigen(benchmark::State& st) {
    using Mat = Eigen::Matrix<T, int(P), int(N), Eigen::RowMajor>;
    using MatT = Eigen::Matrix<T, int(PT), int(N), Eigen::RowMajor>;
    using Vec = Eigen::Matrix<T, int(N), 1>;
    using VecP = Eigen::Matrix<T, int(P), 1>;
    using VecPT = Eigen::Matrix<T, int(PT), 1>;
    static Mat W;
    static MatT Wt;
    static Vec x;
    std::mt19937 gen(1);
    std::normal_distribution<T> normal;
    for (tl::index_t i = 0; i < P * N; ++i) W.data()[i] = normal(gen);
    for (tl::index_t i = 0; i < PT * N; ++i) Wt.data()[i] = normal(gen);
    for (tl::index_t i = 0; i < N; ++i) x[i] = normal(gen);
    VecP v = VecP::Constant(T(1) / T(P));
    const VecPT vt = VecPT::Ones();
    const T isn = T(1) / std::sqrt(T(N)), lr = T(0.1), lr_v = lr / T(N);
    const T k = T(0.70710678118654752440), kd = T(0.79788456080286535588);
    for (auto _ : st) {
        if (S == source::drawn)
            for (tl::index_t i = 0; i < N; ++i) x[i] = normal(gen);
        const VecPT lt = (Wt * x) * isn;
        T y = 0;
        for (tl::index_t m = 0; m < PT; ++m) y += vt[m] * std::erf(lt[m] * k);
        const VecP l = (W * x) * isn;
        VecP g, d;
        for (tl::index_t i = 0; i < P; ++i) {
            g[i] = std::erf(l[i] * k);
            d[i] = v[i] * kd * std::exp(-l[i] * l[i] / T(2));
        }
        const T err = v.dot(g) - y;
        W.noalias() -= ((lr * err * isn) * d) * x.transpose();
        v -= (lr_v * err) * g;
        benchmark::DoNotOptimize(W.data());
        benchmark::DoNotOptimize(v.data());
    }
    st.counters["MACs"] = benchmark::Counter(double(3 * P * N + PT * N) * double(st.iterations()),
                                             benchmark::Counter::kIsRate);
}

using simd = tl::arch::simd<xsimd::default_arch>;

#define TL_BENCH_SHAPE(T, N, P)                                                                     \
    BENCHMARK(bm_twolayer<T, N, P, tl::arch::scalar, source::given>)->Name("given_x/" #T "/N" #N "/P" #P "/scalar"); \
    BENCHMARK(bm_twolayer<T, N, P, simd, source::given>)->Name("given_x/" #T "/N" #N "/P" #P "/twolayer");          \
    BENCHMARK(bm_eigen<T, N, P, source::given>)->Name("given_x/" #T "/N" #N "/P" #P "/eigen");                     \
    BENCHMARK(bm_twolayer<T, N, P, simd, source::drawn>)->Name("drawn_x/" #T "/N" #N "/P" #P "/twolayer");          \
    BENCHMARK(bm_eigen<T, N, P, source::drawn>)->Name("drawn_x/" #T "/N" #N "/P" #P "/eigen");

#define TL_BENCH_N(T, N) TL_BENCH_SHAPE(T, N, 2) TL_BENCH_SHAPE(T, N, 8) TL_BENCH_SHAPE(T, N, 32)

TL_BENCH_N(float, 32)
TL_BENCH_N(float, 128)
TL_BENCH_N(float, 512)
TL_BENCH_N(float, 2048)
TL_BENCH_N(double, 32)
TL_BENCH_N(double, 128)
TL_BENCH_N(double, 512)
TL_BENCH_N(double, 2048)

}  // namespace

BENCHMARK_MAIN();
