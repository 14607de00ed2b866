// One exact Hessian-vector product of the mean squared loss over a dataset (analysis/hvp.hpp), the
// case of issue 15: N = 1000, P = 8, M = 4N samples, erf units, both layers, no biases, double.
// The PyTorch peer (torch.autograd.functional.hvp on the same sizes) is timed in the same run by
// tools/bench/run_hvp_bench.py, which also runs this binary. A benchmark, not a test.
//
// Benchmarks:
//   hvp/double/N1000/P8/M4000/default   the library's product on the build's default arch
//   hvp/double/N1000/P8/M4000/scalar    the same on the scalar reference kernels
//   gradient/double/N1000/P8/M4000      the flat gradient alone (one forward pass per sample)
#include <benchmark/benchmark.h>

#include "twolayer/analysis/hvp.hpp"
#include "twolayer/model/init.hpp"
#include "twolayer/teacher/rng.hpp"

namespace {

using namespace twolayer;

constexpr index_t N = 1000, P = 8, M = 4 * N;
constexpr index_t D = max_flat_size<N, P>;
using net_t = network<double, N, P, act::erf>;

// The operands, static (the dataset is 32 MB): a student of unit-variance rows, v ~ N(0, 1),
// Gaussian inputs with labels of a second random network.
struct operands {
    net_t net;
    dataset<double, M, N> data;
    hvp_workspace<double, N, P> ws;
    double u[D], out[D];

    operands() {
        gaussian_rng g(1, 1);
        init_network(net, g);
        for (index_t k = 0; k < P; ++k) net.v_mut()[k] = g.next();
        net_t teacher;
        init_network(teacher, g);
        for (index_t mu = 0; mu < M; ++mu) {
            for (index_t i = 0; i < N; ++i) data.X(mu, i) = g.next();
            data.y[mu] = teacher.forward(data.X.view().row(mu));
        }
        for (double& x : u) x = g.next();
    }
};

operands& the_operands() {
    static operands* o = new operands();  // built once, outside the timed loops
    return *o;
}

template <class Arch>
void bm_hvp(benchmark::State& state) {
    operands& o = the_operands();
    const index_t n = flat_size(o.net);
    for (auto _ : state) {
        auto r = hessian_vector_product(o.net, o.data, vec_view<const double>(o.u, n), vec_view<double>(o.out, n),
                                        o.ws, hessian_blocks{}, squared_loss{}, Arch{});
        if (!r) state.SkipWithError("hessian_vector_product refused its operands");
        benchmark::DoNotOptimize(o.out);
        benchmark::ClobberMemory();
    }
    state.counters["MAC_per_s"] = benchmark::Counter(3.0 * double(M) * N * P, benchmark::Counter::kIsIterationInvariantRate);
}

void bm_gradient(benchmark::State& state) {
    operands& o = the_operands();
    const index_t n = flat_size(o.net);
    for (auto _ : state) {
        auto r = flat_gradient(o.net, o.data, vec_view<double>(o.out, n), o.ws);
        if (!r) state.SkipWithError("flat_gradient refused its operands");
        benchmark::DoNotOptimize(o.out);
        benchmark::ClobberMemory();
    }
}

BENCHMARK(bm_hvp<arch::default_arch>)->Name("hvp/double/N1000/P8/M4000/default")->Unit(benchmark::kMillisecond);
BENCHMARK(bm_hvp<arch::scalar>)->Name("hvp/double/N1000/P8/M4000/scalar")->Unit(benchmark::kMillisecond);
BENCHMARK(bm_gradient)->Name("gradient/double/N1000/P8/M4000")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
