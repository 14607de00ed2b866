// The training image of one `twolayer sweep` configuration (tools/sweep-device builds it once per
// preset, format, N, P and activation, sizes it and counts it under QEMU). Like training_image.cpp:
// the network, its initialization from the float Gaussian sampler, the guarded online SGD step
// (with a master copy when asked) and inference, nothing else. The configuration comes from -D
// macros, each with a default (the build registered with CMake uses the defaults):
//   TWOLAYER_SWEEP_STORAGE  the storage format: float, double, twolayer::bf16, twolayer::q3_12, ...
//   TWOLAYER_SWEEP_COMPUTE  if defined, the format is mixed<STORAGE, COMPUTE> (e.g. double)
//   TWOLAYER_SWEEP_SR       1: stochastic rounding of the updates (narrow formats)
//   TWOLAYER_SWEEP_MASTER   1: a master copy in the compute type (narrow formats)
//   TWOLAYER_SWEEP_N, TWOLAYER_SWEEP_P, TWOLAYER_SWEEP_ACT (an act:: name: erf, relu, ...)
// The counted parts sit between marker calls, as in targets/bench/insn_bench.cpp: window 0 is
// STEP_K SGD steps, window 1 INFER_K inferences (the driver divides by them). Exit code 0 when
// every step was accepted.
#include <type_traits>

#include "twolayer/teacher/gaussian_block.hpp"
#include "twolayer/twolayer.hpp"

#ifndef TWOLAYER_SWEEP_STORAGE
#define TWOLAYER_SWEEP_STORAGE float
#endif
#ifndef TWOLAYER_SWEEP_SR
#define TWOLAYER_SWEEP_SR 0
#endif
#ifndef TWOLAYER_SWEEP_MASTER
#define TWOLAYER_SWEEP_MASTER 0
#endif
#ifndef TWOLAYER_SWEEP_N
#define TWOLAYER_SWEEP_N 64
#endif
#ifndef TWOLAYER_SWEEP_P
#define TWOLAYER_SWEEP_P 4
#endif
#ifndef TWOLAYER_SWEEP_ACT
#define TWOLAYER_SWEEP_ACT erf
#endif

using namespace twolayer;

namespace {
#ifdef TWOLAYER_SWEEP_COMPUTE
using F = mixed<TWOLAYER_SWEEP_STORAGE, TWOLAYER_SWEEP_COMPUTE>;
#else
using F = TWOLAYER_SWEEP_STORAGE;
#endif
using S = storage_t<F>;
using C = compute_t<F>;
using Rounding = std::conditional_t<TWOLAYER_SWEEP_SR != 0, stochastic_rounding, round_nearest>;
constexpr bool MASTER = TWOLAYER_SWEEP_MASTER != 0;
constexpr index_t N = TWOLAYER_SWEEP_N, P = TWOLAYER_SWEEP_P;
constexpr unsigned WARMUP = 8, STEP_K = 8, INFER_K = 8;

// A sample value in the storage type from float, without software double on an FPU-less path:
// fixed-point formats convert float bits (fixed::from_float), the others take the float.
template <class T, class = void>
struct has_from_float : std::false_type {};
template <class T>
struct has_from_float<T, std::void_t<decltype(T::from_float(0.0f))>> : std::true_type {};
template <class T>
T storage_of(float f) {
    if constexpr (has_from_float<T>::value) return T::from_float(f);
    else return T(f);
}

// The label: a fixed linear read-out of the input (where labels come from is the application's).
float label_of(const float* x) { return 0.5f * (x[0] - x[1]) + 0.25f * x[2]; }
}  // namespace

// Not static: tools/footprint and the driver may read their sizes from the symbol table.
network<F, N, P, act::TWOLAYER_SWEEP_ACT> g_student;
std::conditional_t<MASTER, master_weights<F, N, P>, char> g_master;
online_sgd<F, squared_loss, Rounding> g_sgd;
S g_x[N];
C g_y;
volatile C g_sink;
unsigned g_refused;

// The window markers (the insncount plugin is given their addresses); noipa keeps them apart.
extern "C" __attribute__((noipa)) void twolayer_bench_begin() { __asm__ volatile("" ::: "memory"); }
extern "C" __attribute__((noipa)) void twolayer_bench_end() { __asm__ volatile("" ::: "memory"); }

namespace {
gaussian_block<float> g_sensor(2024, 2);

// The next sample into g_x and g_y (outside the counted windows).
void next_sample() {
    float x[N];
    g_sensor.fill(x, N);
    for (index_t i = 0; i < N; ++i) g_x[i] = storage_of<S>(x[i]);
    g_y = C(label_of(x));
}

// The step with or without the master (M is its type, char without: a template, so the branch
// not taken is not compiled).
template <class M>
step_result<C> sgd_step(M& master) {
    if constexpr (MASTER) return g_sgd.step(g_student, master, g_x, g_y);
    else return g_sgd.step(g_student, g_x, g_y);
}

template <class M>
void load_master(M& master) {
    if constexpr (MASTER) master.load(g_student);
}

__attribute__((noipa)) void one_step() {
    if (!sgd_step(g_master).ok()) ++g_refused;
}

__attribute__((noipa)) void one_inference() { g_sink = g_student.forward(g_x); }
}  // namespace

int main() {
    gaussian_block<C> init(2024, 0);  // draws the compute type: software double for S/double on FPU-less-for-double cores
    init_network(g_student, init, second_layer_init::inv_sqrt_p);
    load_master(g_master);
    train_config<C> c;
    c.lr_w = c.lr_v = c.lr_b = C(0.5f);
    g_sgd = online_sgd<F, squared_loss, Rounding>(c);
    for (unsigned s = 0; s < WARMUP; ++s) {  // warm: the counted steps are not the first ones
        next_sample();
        one_step();
    }
    next_sample();
    twolayer_bench_begin();
    for (unsigned s = 0; s < STEP_K; ++s) one_step();  // the same sample: one window, no sampler
    twolayer_bench_end();
    twolayer_bench_begin();
    for (unsigned s = 0; s < INFER_K; ++s) one_inference();
    twolayer_bench_end();
    return g_refused == 0 ? 0 : 2;
}
