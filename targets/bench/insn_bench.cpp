// Instruction-count benchmark image (run under QEMU with tools/insncount; see tools/count-insns).
//
// Each benchmark is a noipa function that does one unit of work: one kernel call (dot, gemv,
// rank1_update at the reference shape), one online SGD step or one inference of the reference
// network (targets/examples/reference_training.hpp: N = 64, P = 16, tanh, float, biases in both
// layers). run_bench() calls it K times between the markers twolayer_bench_begin() and
// twolayer_bench_end(); the plugin counts every instruction executed between the markers, per
// function, so instructions per call = (window - run_bench's own loop - the begin marker) / K.
//
// hvp: one exact Hessian-vector product (analysis/hvp.hpp) of the reference network's mean squared
// loss over its SAMPLES training samples, every block (W, v, both biases); 3 M N P MACs.
//
// Each benchmark exists for arch::scalar and for arch::default_arch, the library's optimized
// path on this target (today: scalar everywhere, so both rows agree until the SIMD kernels land).
//
// Output, one line per benchmark, in window order (the driver pairs line i with window i):
//   bench <name> <arch> <K> <MACs per call>
#include "../examples/reference_training.hpp"
#include "twolayer/twolayer.hpp"

#include <cstdint>

using namespace twolayer;

#if defined(TWOLAYER_BENCH_SEMIHOST)
extern "C" void twolayer_semihost_write0(const char* s);
static void out(const char* s) { twolayer_semihost_write0(s); }
#else
#include <cstdio>
static void out(const char* s) { std::fputs(s, stdout); }
#endif

#ifndef TWOLAYER_TARGET_NAME
#define TWOLAYER_TARGET_NAME "unknown"
#endif

namespace {

constexpr index_t N = reference::N, P = reference::P;
constexpr unsigned K_KERNEL = 8, K_STEP = 64, K_INFER = 16, K_HVP = 2, SAMPLES = 16;

reference::model<float> g_model;  // student, teacher, trainer: the reference firmware's state
float g_xs[SAMPLES][N];           // inputs cycled through by the step and inference benchmarks
float g_ys[SAMPLES];              // the teacher's labels for them
unsigned g_next;

// Kernel operands (the reference shape: P x N).
alignas(16) float g_a[N], g_b[N], g_W[P * N], g_y[P], g_u[P];
volatile float g_sink;
// The Q15 dot product's result is its exact 64-bit sum: it is kept as such, so the count is the
// dot product's and not that of a software int64 -> float conversion (about 29 instructions on a
// Cortex-M, __aeabi_l2f) a caller may or may not need.
volatile std::int64_t g_sink64;

// The Hessian-vector product's operands: the samples as a dataset, a direction, the product.
constexpr index_t FLAT = max_flat_size<N, P>;
dataset<float, SAMPLES, N> g_data;
hvp_workspace<float, N, P> g_hvp_ws;
alignas(16) float g_dir[FLAT], g_hdir[FLAT];

}  // namespace

// The window markers: the plugin is given their addresses. noipa keeps them distinct functions.
extern "C" __attribute__((noipa)) void twolayer_bench_begin() { __asm__ volatile("" ::: "memory"); }
extern "C" __attribute__((noipa)) void twolayer_bench_end() { __asm__ volatile("" ::: "memory"); }

using bench_fn = void (*)();

extern "C" __attribute__((noipa)) void run_bench(bench_fn f, unsigned k) {
    twolayer_bench_begin();
    for (unsigned i = 0; i < k; ++i) f();
    twolayer_bench_end();
}

template <class Arch>
__attribute__((noipa)) void bm_dot() {
    g_sink = kernels::dot(vec_view<const float, N>(g_a), vec_view<const float, N>(g_b), Arch{});
}

template <class Arch>
__attribute__((noipa)) void bm_gemv() {
    kernels::gemv(mat_view<const float, P, N>(g_W), vec_view<const float, N>(g_a),
                  vec_view<float, P>(g_y), 0.125f, Arch{});
}

template <class Arch>
__attribute__((noipa)) void bm_rank1() {
    kernels::rank1_update(mat_view<float, P, N>(g_W), vec_view<const float, P>(g_u),
                          vec_view<const float, N>(g_a), 1e-6f, 1.0f, Arch{});
}

// 16-bit fixed point (Q3.12): exact 64-bit sums; the DSP arch uses SMLALD (two MACs each).
alignas(64) q3_12 g_qa[N];  // aligned as network storage is
alignas(64) q3_12 g_qb[N];
alignas(64) q3_12 g_qW[P * N];
float g_qy[P];

template <class Arch>
__attribute__((noipa)) void bm_dot_q15() {
    g_sink64 = kernels::dot(vec_view<const q3_12, N>(g_qa), vec_view<const q3_12, N>(g_qb), Arch{});
}

template <class Arch>
__attribute__((noipa)) void bm_gemv_q15() {
    kernels::gemv(mat_view<const q3_12, P, N>(g_qW), vec_view<const q3_12, N>(g_qa),
                  vec_view<float, P>(g_qy), 0.125f, Arch{});
}

template <class Arch>
__attribute__((noipa)) void bm_sgd_step() {
    const unsigned i = g_next++ % SAMPLES;
    const step_result<float> r =
        g_model.sgd.step(g_model.student, g_xs[i], g_ys[i], Arch{});
    g_sink = r.loss;
}

template <class Arch>
__attribute__((noipa)) void bm_inference() {
    const unsigned i = g_next++ % SAMPLES;
    g_sink = g_model.student.forward(g_xs[i], Arch{});
}

template <class Arch>
__attribute__((noipa)) void bm_hvp() {
    const auto r = hessian_vector_product(g_model.student, g_data, vec_view<const float>(g_dir, FLAT),
                                          vec_view<float>(g_hdir, FLAT), g_hvp_ws, hessian_blocks{}, squared_loss{},
                                          Arch{});
    g_sink = r.loss;
}

namespace {

void report(const char* name, const char* arch, unsigned k, unsigned long macs) {
    char buf[128];
    char* p = buf;
    const char* parts[] = {"bench ", name, " ", arch, " "};
    for (const char* s : parts)
        while (*s) *p++ = *s++;
    p = reference::put_uint(p, k);
    *p++ = ' ';
    p = reference::put_uint(p, macs);
    *p++ = '\n';
    *p = 0;
    out(buf);
}

void fresh_state() {
    reference::setup(g_model);
    g_next = 0;
}

template <class Arch>
void run_all(const char* arch) {
    report("dot", arch, K_KERNEL, N);
    run_bench(bm_dot<Arch>, K_KERNEL);
    report("gemv", arch, K_KERNEL, P * N);
    run_bench(bm_gemv<Arch>, K_KERNEL);
    report("rank1_update", arch, K_KERNEL, P * N);
    run_bench(bm_rank1<Arch>, K_KERNEL);
    report("dot_q15", arch, K_KERNEL, N);
    run_bench(bm_dot_q15<Arch>, K_KERNEL);
    report("gemv_q15", arch, K_KERNEL, P * N);
    run_bench(bm_gemv_q15<Arch>, K_KERNEL);
    // MAC convention: forward P N + first-layer update P N; the O(P) second layer is not counted.
    fresh_state();
    report("sgd_step", arch, K_STEP, 2 * P * N);
    run_bench(bm_sgd_step<Arch>, K_STEP);
    fresh_state();
    report("inference", arch, K_INFER, P * N);
    run_bench(bm_inference<Arch>, K_INFER);
    fresh_state();
    report("hvp", arch, K_HVP, 3 * SAMPLES * P * N);
    run_bench(bm_hvp<Arch>, K_HVP);
}

}  // namespace

int main() {
    // Operands: Gaussian, like the network's inputs (no denormals, no special values).
    gaussian_rng r(1, 1);
    for (float& v : g_a) v = r.gaussian<float>();
    for (float& v : g_b) v = r.gaussian<float>();
    for (float& v : g_W) v = r.gaussian<float>();
    for (float& v : g_u) v = r.gaussian<float>();
    for (q3_12& v : g_qa) v = q3_12(r.next());
    for (q3_12& v : g_qb) v = q3_12(r.next());
    for (q3_12& v : g_qW) v = q3_12(r.next());
    // The reference experiment's first training samples: x from its stream, y from its teacher.
    reference::setup(g_model);
    gaussian_rng stream(reference::SEED, reference::TRAINING_STREAM);
    for (unsigned s = 0; s < SAMPLES; ++s) {
        for (float& v : g_xs[s]) v = stream.gaussian<float>();
        g_ys[s] = g_model.teacher.forward(g_xs[s]);
        for (index_t i = 0; i < N; ++i) g_data.X(s, i) = g_xs[s][i];
        g_data.y[s] = g_ys[s];
    }
    for (float& v : g_dir) v = r.gaussian<float>();

    out("insn_bench target: " TWOLAYER_TARGET_NAME "\n");
    out("default_arch: ");
    out(arch::default_arch::name);
    out("\n");
    run_all<arch::scalar>("scalar");
    run_all<arch::default_arch>("default");
    out("insn_bench done\n");
    return 0;
}
