// The HVP and the flat gradient in every format the trainers take (float, f16, bf16, q3_12, q4_27
// and mixed storage/arithmetic), against the double HVP (N = 8, P = 4, M = 16, both biases).
// Two comparisons per format, on the same random networks, datasets and directions:
//   arithmetic: the double product of exactly the F network (its stored weights read back to
//     double, the dataset as stored in F, u as given in the compute type C): what is left is the
//     arithmetic in C, so the bound is k eps_C, with eps_C the compute type's resolution (or the
//     dot products' accumulator's, where that is coarser);
//   storage: the double product of the double network before it was stored in F (weights,
//     samples and labels rounded once each): the bound is k res_S, res_S the storage's
//     resolution (its absolute step for fixed point), or eps_C where that is coarser.
// Errors are max_i |Hu_F - Hu_ref| / max_i |Hu_ref| (and the same for the gradient). The worst
// measured over the cases is printed next to its bound; the bounds below state the measured
// values they were set from.
#include "analysis_util.hpp"

using namespace twolayer;
using tl_test::keep_max;
using tl_test::labels;

namespace {

constexpr index_t N = 8, P = 4, M = 16;
constexpr index_t NP = max_flat_size<N, P>;

// The bounds, as multiples of eps_C (arithmetic) and res_S (storage). Every entry of H u is a mean
// over M = 16 samples of products of a few O(1) factors, each with an error of an ulp or so, after
// the N = 8 term dot products (z and U x); the errors are measured normwise (relative to the
// largest entry), so cancellation in a small entry does not count. Measured, the worst over the 12
// cases of each format, Hu / gradient, on host (x86-64), cortex-m4, cortex-m55, aarch64 and armv7
// (the largest of the five):
//   arithmetic: float 2.34 / 1.56 eps_C, f16 2.42 / 1.32, bf16 2.23 / 1.71, q3_12 2.23 / 1.64,
//     q4_27 2.18 / 1.72, mixed<f16, float> as f16; mixed<bf16, double> 0.04 / 0.05 (of float's
//     eps: only the float dot products round); mixed<q3_12, double> 0 / 0 except 0.64 / 0.63 on
//     aarch64 (integer dot products and double arithmetic reproduce the double product up to the
//     order of the double sums); mixed<q4_27, double> 5.38 / 6.16 units of 2^-38 (the N = 8
//     products of a dot are each truncated down: a bias of about N / 2 units);
//   storage: 0.51 to 2.99 res_S (float on armv7 the largest).
// The bounds leave a factor of 2.6 (q4_27 with double arithmetic) to 7 for other kernels and
// other draws.
constexpr double k_arith = 16;
constexpr double k_storage = 8;

// The arithmetic's resolution: the compute type's, or the dot products' accumulator's where that
// is coarser: mixed<bf16, double> and mixed<f16, double> accumulate the storage's products in
// float, as the forward pass does; fixed point accumulates in integers, exactly for 16-bit words,
// and for 32-bit words (q4_27) with each product truncated to units of dot_unit = 2^-38.
template <class F>
double eps_compute() {
    const double c = format_traits<compute_t<F>>::resolution;
#if defined(TWOLAYER_ARCH_NEON_FP16)
    // Armv8.2-A with fp16 vector arithmetic (the aarch64-fp16 preset): the dot products of f16
    // vectors are native fp16 fused multiply-adds (kernels/neon_fp16.hpp), so for f16 storage
    // the arithmetic is f16's (measured there: mixed<f16, float> 3906 float eps = 0.48 f16 units).
    if constexpr (std::is_same<storage_t<F>, f16>::value) return std::fmax(c, format_traits<f16>::resolution);
#endif
    if constexpr (format_traits<F>::is_fixed) {
        return std::fmax(c, format_traits<F>::product_shift > 0 ? format_traits<F>::dot_unit : 0.0);
    } else {
        return std::fmax(c, format_traits<accum_t<F>>::resolution);
    }
}
// The storage's resolution, or the arithmetic's where that is coarser (q4_27 stores 2^-27 steps
// but computes in float).
template <class F>
double res_storage() { return std::fmax(format_traits<F>::resolution, eps_compute<F>()); }

struct worst {
    double hvp_arith = 0, grad_arith = 0, hvp_storage = 0, grad_storage = 0;
};

double rel_err(const double* a, const double* ref, index_t n) {
    double e = 0, s = 0;
    for (index_t i = 0; i < n; ++i) {
        keep_max(e, std::fabs(a[i] - ref[i]));
        keep_max(s, std::fabs(ref[i]));
    }
    return s > 0 ? e / s : e;
}

template <class F, class Act, class Loss>
void one_case(const Loss& loss, labels how, std::uint64_t seed, worst& w) {
    using S = storage_t<F>;
    using C = compute_t<F>;
    gaussian_rng g(seed);
    static network<double, N, P, Act> d0, dF;  // the double network, and F's weights in double
    static network<F, N, P, Act> f;
    static dataset<double, M, N> x0, xF;
    static dataset<S, M, N> xs;
    tl_test::random_network(d0, g);
    // Weights within the fixed-point range: v and b as drawn (|v| < 4 w.h.p.), W ~ N(0, 1).
    tl_test::random_dataset(x0, g, how);
    TL_REQUIRE(convert_network(d0, f) == 0);
    TL_REQUIRE(convert_network(f, dF) == 0);
    auto store = [](double v, S& s) { return format_traits<F>::to_double(s = format_traits<F>::from_double(v)); };
    for (index_t i = 0; i < M * N; ++i) xF.X.data[i] = store(x0.X.data[i], xs.X.data[i]);
    for (index_t i = 0; i < M; ++i) xF.y[i] = store(x0.y[i], xs.y[i]);
    static C u[NP], hu[NP], gr[NP];
    static double ud[NP], h0[NP], hF[NP], hud[NP], g0[NP], gF[NP], grd[NP];
    static hvp_workspace<F, N, P> ws;
    static hvp_workspace<double, N, P> wd;
    philox4x32 r(seed, 3);
    for (index_t i = 0; i < NP; ++i) ud[i] = double(u[i] = C(2 * r.uniform01() - 1));
    TL_REQUIRE(hessian_vector_product(f, xs, u, hu, ws, hessian_blocks{}, loss));
    TL_REQUIRE(hessian_vector_product(dF, xF, ud, hF, wd, hessian_blocks{}, loss));
    TL_REQUIRE(hessian_vector_product(d0, x0, ud, h0, wd, hessian_blocks{}, loss));
    TL_REQUIRE(flat_gradient(f, xs, gr, ws, hessian_blocks{}, loss));
    TL_REQUIRE(flat_gradient(dF, xF, gF, wd, hessian_blocks{}, loss));
    TL_REQUIRE(flat_gradient(d0, x0, g0, wd, hessian_blocks{}, loss));
    for (index_t i = 0; i < NP; ++i) {
        hud[i] = double(hu[i]);
        grd[i] = double(gr[i]);
    }
    const double ha = rel_err(hud, hF, NP) / eps_compute<F>(), ga = rel_err(grd, gF, NP) / eps_compute<F>();
    const double hs = rel_err(hud, h0, NP) / res_storage<F>(), gs = rel_err(grd, g0, NP) / res_storage<F>();
    keep_max(w.hvp_arith, ha);
    keep_max(w.grad_arith, ga);
    keep_max(w.hvp_storage, hs);
    keep_max(w.grad_storage, gs);
    TL_CHECK(ha <= k_arith);
    TL_CHECK(ga <= k_arith);
    TL_CHECK(hs <= k_storage);
    TL_CHECK(gs <= k_storage);
}

template <class F>
void check_format() {
    worst w;
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        one_case<F, act::erf>(squared_loss{}, labels::gaussian, 100 + seed, w);
        one_case<F, act::tanh>(logistic_loss{}, labels::sign, 200 + seed, w);
    }
    TL_INFO("  %s storage, %s arithmetic: Hu %.2f eps_C, grad %.2f eps_C (bound %.0f, eps_C %.1e); from double "
            "weights: Hu %.2f res_S, grad %.2f res_S (bound %.0f, res_S %.1e)\n",
            format_traits<F>::name, format_traits<compute_t<F>>::name, w.hvp_arith, w.grad_arith, k_arith,
            eps_compute<F>(), w.hvp_storage, w.grad_storage, k_storage, res_storage<F>());
}

TL_TEST(hvp_float) { check_format<float>(); }
TL_TEST(hvp_f16) { check_format<f16>(); }
TL_TEST(hvp_bf16) { check_format<bf16>(); }
TL_TEST(hvp_q3_12) { check_format<q3_12>(); }
TL_TEST(hvp_q4_27) { check_format<q4_27>(); }
TL_TEST(hvp_mixed_bf16_double) { check_format<mixed<bf16, double>>(); }
TL_TEST(hvp_mixed_q3_12_double) { check_format<mixed<q3_12, double>>(); }
TL_TEST(hvp_mixed_f16_float) { check_format<mixed<f16, float>>(); }
TL_TEST(hvp_mixed_q4_27_double) { check_format<mixed<q4_27, double>>(); }

}  // namespace
