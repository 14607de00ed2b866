// One teacher-student online SGD step (teacher forward, student forward, backward, update of
// both layers), float and double, for several N and P:
//   twolayer on the scalar reference kernels, twolayer on the xsimd kernels, and the peer a user
//   would write instead: a hand-written Eigen fixed-size implementation of the same step.
// "fused": twolayer's fused step (update of this step + forward of the next sample in one pass).
// Variants "given_x" (the sample is already in memory) and "drawn_x" (the step also draws x:
// twolayer's gaussian_rng ("twolayer") and gaussian_block ("block") vs Eigen +
// std::normal_distribution).
// Counters: MACs = 3 P N + P* N multiply-adds per step (teacher and student forward, update).
// Machine bounds for the roofline, measured in the same binary: fma_peak (independent FMA chains
// on the widest xsimd batch) and l1_stream (y += a x over L1-resident arrays: the rank-1 update's
// load + store pattern). sampler/* times the Gaussian streams alone.
#define EIGEN_STACK_ALLOCATION_LIMIT 0  // fixed-size objects are static here, never on the stack
#include <benchmark/benchmark.h>

#include <Eigen/Dense>
#include <cmath>
#include <random>

#include "twolayer/kernels/xsimd.hpp"
#include "twolayer/teacher/gaussian_block.hpp"
#include "twolayer/twolayer.hpp"

namespace tl = twolayer;

namespace {

constexpr tl::index_t PT = 2;  // teacher width

enum class source { given, drawn, block };

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
    tl::init_network(teacher, rng);
    tl::init_network(student, rng, tl::second_layer_init::inv_p);
    for (auto& xi : buf.x) xi = rng.gaussian<T>();
    tl::train_config<T> c;
    c.lr_w = T(0.1);
    c.lr_v = T(0.1);
    tl::online_sgd<T> sgd(c);
    tl::gaussian_block<T> block(1, 1);
    for (auto _ : st) {
        if (S == source::drawn)
            for (auto& xi : buf.x) xi = rng.gaussian<T>();
        if (S == source::block) block.fill(buf.x, N);
        const T y = teacher.forward(buf.x, Arch{});
        auto r = sgd.step(student, buf.x, y, Arch{});
        benchmark::DoNotOptimize(r);
    }
    st.counters["MACs"] = benchmark::Counter(double(3 * P * N + PT * N) * double(st.iterations()),
                                             benchmark::Counter::kIsRate);
}

// The fused step (online_sgd::step(net, x, y, x_next)): the update of this step and the
// pre-activations of the next sample in one pass over W. Two given samples alternate, so every
// step finds its pre-activations computed ahead by the previous one (checked by a bitwise
// comparison with the copy of the next sample the network keeps, as in real use).
template <class T, tl::index_t N, tl::index_t P, class Arch>
void bm_twolayer_fused(benchmark::State& st) {
    static tl::network<T, N, PT, tl::act::erf> teacher;
    static tl::lookahead_network<T, N, P, tl::act::erf> student;
    static sample_buffer<T, N> buf[2];
    tl::gaussian_rng rng(1);
    tl::init_network(teacher, rng);
    tl::init_network(student, rng, tl::second_layer_init::inv_p);
    for (auto& b : buf)
        for (auto& xi : b.x) xi = rng.gaussian<T>();
    tl::train_config<T> c;
    c.lr_w = T(0.1);
    c.lr_v = T(0.1);
    tl::online_sgd<T> sgd(c);
    unsigned cur = 0;
    for (auto _ : st) {
        const T y = teacher.forward(buf[cur].x, Arch{});
        auto r = sgd.step(student, buf[cur].x, y, buf[cur ^ 1].x, Arch{});
        benchmark::DoNotOptimize(r);
        cur ^= 1;
    }
    if (sgd.reused_forwards() + 1 < sgd.steps()) st.SkipWithError("the fused step did not reuse its pre-activations");
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

// FMA peak: C independent chains acc = acc * a + b on the widest batch (C covers latency x
// throughput: 4 cycles x 2 pipes on current x86 cores needs 8; 12 leaves a margin). a < 1 keeps
// the values bounded and normal. Counter FMA_lanes: lane-FMAs per second (FLOP/s = 2x).
template <class T>
void bm_fma_peak(benchmark::State& st) {
    using B = xsimd::batch<T, xsimd::default_arch>;
    constexpr int C = 12, K = 256;
    const B a(T(0.999)), b(T(0.001));
    B acc[C];
    for (int c = 0; c < C; ++c) acc[c] = B(T(1) + T(c) / T(16));
    for (auto _ : st) {
        for (int k = 0; k < K; ++k) {
#pragma GCC unroll 12
            for (int c = 0; c < C; ++c) acc[c] = tl::kernels::detail_simd::fmadd(acc[c], a, b);
        }
        for (int c = 0; c < C; ++c) benchmark::DoNotOptimize(acc[c]);
    }
    st.counters["FMA_lanes"] = benchmark::Counter(double(K) * C * B::size * double(st.iterations()),
                                                  benchmark::Counter::kIsRate);
    st.counters["lanes"] = double(B::size);
}

// The rank-1 update's memory pattern at its L1 bound: y += a x, both arrays 8 KB (16 KB of a
// 32 KB+ L1D), one load of x, one load and one store of y per element. Counter elems: elements
// per second.
template <class T>
void bm_l1_stream(benchmark::State& st) {
    using B = xsimd::batch<T, xsimd::default_arch>;
    constexpr tl::index_t n = 8192 / sizeof(T);
    alignas(64) static T x[n], y[n];
    for (tl::index_t j = 0; j < n; ++j) { x[j] = T(j % 7); y[j] = T(0); }
    const B a(T(1e-3));
    for (auto _ : st) {
        for (tl::index_t j = 0; j < n; j += B::size)
            tl::kernels::detail_simd::fmadd(a, B::load_unaligned(x + j), B::load_unaligned(y + j)).store_unaligned(y + j);
        benchmark::ClobberMemory();
    }
    st.counters["elems"] = benchmark::Counter(double(n) * double(st.iterations()), benchmark::Counter::kIsRate);
}

// The Gaussian streams alone, N samples per iteration.
enum class sampler { rng, block, std_normal };

template <class T, tl::index_t N, sampler S>
void bm_sampler(benchmark::State& st) {
    static sample_buffer<T, N> buf;
    tl::gaussian_rng rng(1);
    tl::gaussian_block<T> block(1);
    std::mt19937 gen(1);
    std::normal_distribution<T> normal;
    for (auto _ : st) {
        if (S == sampler::rng)
            for (auto& xi : buf.x) xi = rng.gaussian<T>();
        if (S == sampler::block) block.fill(buf.x, N);
        if (S == sampler::std_normal)
            for (auto& xi : buf.x) xi = normal(gen);
        benchmark::DoNotOptimize(buf.x);
        benchmark::ClobberMemory();
    }
    st.counters["samples"] = benchmark::Counter(double(N) * double(st.iterations()), benchmark::Counter::kIsRate);
}

// gaussian_block's two phases on their own, for 512 floats (32 chunks of 16 blocks): Philox
// words, and Box-Muller on fixed words.
void bm_block_philox(benchmark::State& st) {
    alignas(64) tl::detail_gb::words x;
    std::uint64_t pos = 0;
    for (auto _ : st) {
        for (int c = 0; c < 512 / 4 / int(tl::detail_gb::chunk_blocks); ++c, pos += tl::detail_gb::chunk_blocks) {
            tl::detail_gb::philox(pos, tl::detail_gb::chunk_blocks, 1, 0, 1, 0, x);
            benchmark::DoNotOptimize(x);
            benchmark::ClobberMemory();
        }
    }
    st.counters["samples"] = benchmark::Counter(512.0 * double(st.iterations()), benchmark::Counter::kIsRate);
}

void bm_block_box_muller(benchmark::State& st) {
    constexpr tl::index_t B = tl::detail_gb::chunk_blocks;
    alignas(64) tl::detail_gb::words x;
    tl::detail_gb::philox(0, B, 1, 0, 1, 0, x);
    alignas(64) float c0[B], s0[B], c1[B], s1[B];
    for (auto _ : st) {
        for (int c = 0; c < 512 / 4 / int(B); ++c) {
            benchmark::DoNotOptimize(x);
            tl::detail_gb::box_muller(x[0], x[2], B, c0, s0);
            tl::detail_gb::box_muller(x[1], x[3], B, c1, s1);
            benchmark::DoNotOptimize(c0); benchmark::DoNotOptimize(s0);
            benchmark::DoNotOptimize(c1); benchmark::DoNotOptimize(s1);
            benchmark::ClobberMemory();
        }
    }
    st.counters["samples"] = benchmark::Counter(512.0 * double(st.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(bm_block_philox)->Name("sampler/float/N512/block_philox_only");
BENCHMARK(bm_block_box_muller)->Name("sampler/float/N512/block_box_muller_only");

BENCHMARK(bm_fma_peak<float>)->Name("machine/float/fma_peak");
BENCHMARK(bm_fma_peak<double>)->Name("machine/double/fma_peak");
BENCHMARK(bm_l1_stream<float>)->Name("machine/float/l1_stream");
BENCHMARK(bm_l1_stream<double>)->Name("machine/double/l1_stream");
#define TL_BENCH_SAMPLER(T, N)                                                                  \
    BENCHMARK(bm_sampler<T, N, sampler::rng>)->Name("sampler/" #T "/N" #N "/gaussian_rng");      \
    BENCHMARK(bm_sampler<T, N, sampler::block>)->Name("sampler/" #T "/N" #N "/gaussian_block");  \
    BENCHMARK(bm_sampler<T, N, sampler::std_normal>)->Name("sampler/" #T "/N" #N "/std_normal");
TL_BENCH_SAMPLER(float, 512)
TL_BENCH_SAMPLER(double, 512)

using simd = tl::arch::simd<xsimd::default_arch>;

#define TL_BENCH_SHAPE(T, N, P)                                                                     \
    BENCHMARK(bm_twolayer<T, N, P, tl::arch::scalar, source::given>)->Name("given_x/" #T "/N" #N "/P" #P "/scalar"); \
    BENCHMARK(bm_twolayer<T, N, P, simd, source::given>)->Name("given_x/" #T "/N" #N "/P" #P "/twolayer");          \
    BENCHMARK(bm_twolayer_fused<T, N, P, simd>)->Name("given_x/" #T "/N" #N "/P" #P "/fused");                      \
    BENCHMARK(bm_eigen<T, N, P, source::given>)->Name("given_x/" #T "/N" #N "/P" #P "/eigen");                     \
    BENCHMARK(bm_twolayer<T, N, P, simd, source::drawn>)->Name("drawn_x/" #T "/N" #N "/P" #P "/twolayer");          \
    BENCHMARK(bm_twolayer<T, N, P, simd, source::block>)->Name("drawn_x/" #T "/N" #N "/P" #P "/block");             \
    BENCHMARK(bm_eigen<T, N, P, source::drawn>)->Name("drawn_x/" #T "/N" #N "/P" #P "/eigen");

#define TL_BENCH_N(T, N) TL_BENCH_SHAPE(T, N, 2) TL_BENCH_SHAPE(T, N, 8) TL_BENCH_SHAPE(T, N, 32)

TL_BENCH_N(float, 32)
TL_BENCH_N(float, 128)
TL_BENCH_N(float, 512)
TL_BENCH_N(float, 2048)
TL_BENCH_SHAPE(float, 1000, 8)  // the research tool's case (twolayer train --N 1000 --P 8)
TL_BENCH_N(double, 32)
TL_BENCH_N(double, 128)
TL_BENCH_N(double, 512)
TL_BENCH_N(double, 2048)
TL_BENCH_SHAPE(double, 1000, 8)

}  // namespace

BENCHMARK_MAIN();
