// Optimized float/double kernels on xsimd batches (x86 SSE2/AVX2/AVX-512, NEON): implementations
// on simd<XA> only; whatever is missing here (other formats, other kernels) resolves to the scalar
// reference through the tag's base class. Sums are split over several accumulators for
// throughput, so results differ from the scalar kernels by rounding only (tested: a few ulp times
// the fan-in).
//
// Implementations on simd<XA>: dot, gemv, rank1_update, rank1_update_gemv (float, double; float
// only on Armv7 NEON); tanh_map (except on Armv7 NEON). Where <xsimd/xsimd.hpp> cannot be found,
// this header declares nothing.
#pragma once
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/scalar.hpp"

// TWOLAYER_HAS_XSIMD: 1 where the xsimd headers are reachable (this header then has kernels).
#if defined(__has_include)
#if __has_include(<xsimd/xsimd.hpp>)
#define TWOLAYER_HAS_XSIMD 1
#endif
#endif

#if TWOLAYER_HAS_XSIMD
#include <xsimd/xsimd.hpp>

namespace twolayer {
namespace kernels {

namespace detail_simd {

// armv7 NEON has no double lanes although xsimd claims a register for them.
template <class T, class XA>
constexpr bool has_lanes() {
#if XSIMD_WITH_NEON && !XSIMD_WITH_NEON64
    if (std::is_same<T, double>::value) return false;
#endif
    return std::is_same<T, float>::value || std::is_same<T, double>::value;
}

template <class T, class XA>
using enable = std::enable_if_t<has_lanes<T, XA>(), int>;

// x * y + z rounded once. xsimd 8 has no fma for AVX-512 and falls back to x * y + z, which is
// two instructions and two roundings under -ffp-contract=off; this calls the instruction.
template <class T, class XA>
TWOLAYER_INLINE xsimd::batch<T, XA> fmadd(const xsimd::batch<T, XA>& x, const xsimd::batch<T, XA>& y,
                                        const xsimd::batch<T, XA>& z) {
#if XSIMD_WITH_AVX512F
    if constexpr (std::is_base_of<xsimd::avx512f, XA>::value) {
        if constexpr (std::is_same<T, float>::value) return _mm512_fmadd_ps(x, y, z);
        else return _mm512_fmadd_pd(x, y, z);
    } else
#endif
    {
        return xsimd::fma(x, y, z);
    }
}

template <class T, class XA>
T dot(const T* a, const T* b, index_t n) {
    using batch = xsimd::batch<T, XA>;
    constexpr index_t W = batch::size;
    batch s0(T(0)), s1(T(0)), s2(T(0)), s3(T(0));
    index_t i = 0;
    for (; i + 4 * W <= n; i += 4 * W) {
        s0 = detail_simd::fmadd(batch::load_unaligned(a + i), batch::load_unaligned(b + i), s0);
        s1 = detail_simd::fmadd(batch::load_unaligned(a + i + W), batch::load_unaligned(b + i + W), s1);
        s2 = detail_simd::fmadd(batch::load_unaligned(a + i + 2 * W), batch::load_unaligned(b + i + 2 * W), s2);
        s3 = detail_simd::fmadd(batch::load_unaligned(a + i + 3 * W), batch::load_unaligned(b + i + 3 * W), s3);
    }
    for (; i + W <= n; i += W) s0 = detail_simd::fmadd(batch::load_unaligned(a + i), batch::load_unaligned(b + i), s0);
    // Lanes summed through memory, not xsimd::hadd: GCC 12 reports "used uninitialized" inside
    // avx512fintrin.h for hadd<double> on AVX-512, an error under -Werror in every includer now
    // that this is the host's default arch. Once per dot, so the cost does not matter.
    T lane[W];
    ((s0 + s1) + (s2 + s3)).store_unaligned(lane);
    T s(0);
    for (index_t k = 0; k < W; ++k) s += lane[k];
    // Counting the remainder down keeps GCC from a false "iteration ... invokes undefined
    // behavior" when n is a small compile-time size (GCC 12, -Waggressive-loop-optimizations).
    for (index_t r = n - i; r != 0; --r, ++i) s += a[i] * b[i];
    return s;
}

// gemv and rank1_update_gemv share one order of summation per row, so that an update followed by
// a gemv and the fused kernel give the same bits: chunk c of a row (one batch) goes to
// accumulator c % 4, the accumulators are added as (s0 + s1) + (s2 + s3), the lanes of that sum
// pairwise (lane k + W/2 onto lane k, and so on), then the remainder elements in index order.
// Four chains per row keep the FMA unit busy even for a single row (the teacher's two rows are
// latency-bound with fewer). Several rows are taken per load of x (their own accumulators, one
// reduction per row at the end); how rows are grouped does not change a row's arithmetic.
#ifndef TWOLAYER_XSIMD_ROW_CHAINS
#define TWOLAYER_XSIMD_ROW_CHAINS 4
#endif
constexpr index_t row_chains = TWOLAYER_XSIMD_ROW_CHAINS;
static_assert(row_chains == 2 || row_chains == 4, "TWOLAYER_XSIMD_ROW_CHAINS: 2 or 4");

template <class T, class XA>
TWOLAYER_INLINE T sum_row(const xsimd::batch<T, XA> (&s)[row_chains]) {
    // Through memory, not xsimd::hadd (see dot above).
    constexpr index_t W = xsimd::batch<T, XA>::size;
    T lane[W];
    if constexpr (row_chains == 4) ((s[0] + s[1]) + (s[2] + s[3])).store_unaligned(lane);
    else (s[0] + s[1]).store_unaligned(lane);
    for (index_t h = W / 2; h != 0; h /= 2)
        for (index_t k = 0; k < h; ++k) lane[k] += lane[k + h];
    return lane[0];
}

// The batch the row kernels (gemv, rank1_update, rank1_update_gemv) work on. AMD's Zen 4 executes
// a 512-bit operation as two 256-bit halves, and there the fused kernel, bound by its stores and
// FMAs, runs faster on 256-bit batches (and so does the gemv; the timings are in
// docs/BENCHMARKS.md, host section). So where AVX-512 is enabled with a Zen
// tuning (GCC 12 names Zen 4 znver3 with AVX-512), they use AVX2 + FMA batches; define
// TWOLAYER_XSIMD_ROW_256 to 0 or 1 to choose. The three kernels use the same batch, so the fused
// kernel's sums and tails match theirs.
#ifndef TWOLAYER_XSIMD_ROW_256
#if XSIMD_WITH_AVX512F && XSIMD_WITH_FMA3_AVX2 && (defined(__znver3__) || defined(__znver4__))
#define TWOLAYER_XSIMD_ROW_256 1
#else
#define TWOLAYER_XSIMD_ROW_256 0
#endif
#endif
template <class XA>
struct row_arch_of {
    using type = XA;
};
#if TWOLAYER_XSIMD_ROW_256 && XSIMD_WITH_AVX512F && XSIMD_WITH_FMA3_AVX2
template <>
struct row_arch_of<xsimd::avx512f> {
    using type = xsimd::fma3<xsimd::avx2>;
};
template <>
struct row_arch_of<xsimd::avx512cd> {
    using type = xsimd::fma3<xsimd::avx2>;
};
template <>
struct row_arch_of<xsimd::avx512dq> {
    using type = xsimd::fma3<xsimd::avx2>;
};
template <>
struct row_arch_of<xsimd::avx512bw> {
    using type = xsimd::fma3<xsimd::avx2>;
};
#endif
template <class XA>
using row_arch = typename row_arch_of<XA>::type;

// Rows per block: the gemv takes 4 rows per load of x; the fused kernel, bound by its loads and
// stores, is faster with 2 than with 4, on 256-bit and 512-bit batches alike (Zen 4; the timings
// are in docs/BENCHMARKS.md, host section).
constexpr index_t gemv_block_rows = 4;
constexpr index_t update_block_rows = 2;

// Calls f(std::integral_constant<index_t, B>, first_row) for blocks of B rows, then the
// remaining rows in blocks of B/2, B/4, ... (B a power of two), so every block size is a
// compile-time constant.
template <index_t B, class Fn>
TWOLAYER_INLINE void for_row_blocks(Fn&& f, index_t rows, index_t first = 0) {
    for (index_t left = rows / B; left != 0; --left, first += B) f(std::integral_constant<index_t, B>{}, first);
    if constexpr (B > 1) {
        if (rows % B != 0) for_row_blocks<B / 2>(f, rows % B, first);
    }
}

// y[r] = scale * (w_r . x), r < B; row r starts at w + r * ld.
template <class T, class XA, index_t B>
TWOLAYER_INLINE void gemv_rows(const T* w, index_t ld, const T* x, T* y, T scale) {
    using batch = xsimd::batch<T, XA>;
    constexpr index_t Wd = batch::size, A = row_chains;
    const index_t n = ld;
    batch s[B][A];
    for (index_t r = 0; r < B; ++r)
        for (index_t c = 0; c < A; ++c) s[r][c] = batch(T(0));
    index_t j = 0;
    for (; j + A * Wd <= n; j += A * Wd) {
        batch xv[A];
        for (index_t c = 0; c < A; ++c) xv[c] = batch::load_unaligned(x + j + c * Wd);
        for (index_t r = 0; r < B; ++r)
            for (index_t c = 0; c < A; ++c)
                s[r][c] = fmadd(batch::load_unaligned(w + r * ld + j + c * Wd), xv[c], s[r][c]);
    }
    for (index_t c = 0; j + Wd <= n; j += Wd, ++c) {
        const batch xv = batch::load_unaligned(x + j);
        for (index_t r = 0; r < B; ++r) s[r][c] = fmadd(batch::load_unaligned(w + r * ld + j), xv, s[r][c]);
    }
    for (index_t r = 0; r < B; ++r) {
        const T* wr = w + r * ld;
        T sum = sum_row<T, XA>(s[r]);
        // n - j < Wd here; the loop bound says so (rem % Wd), which keeps GCC 12 at -O3 with a
        // static extent from a false "iteration ... invokes undefined behavior" error.
        const index_t rem = n - j;
        for (index_t t = 0; t < rem % Wd; ++t) sum += wr[j + t] * x[j + t];
        y[r] = scale * sum;
    }
}

// For B rows: w_r = decay w_r + (alpha a_r) x (exactly rank1_update's arithmetic), then
// y[r] = scale * (w_r . x2) with the new w_r (exactly gemv_rows's arithmetic), in one pass: the
// updated chunk is stored and multiplied into the accumulator while it is in a register.
template <class T, class XA, index_t B, bool Decay>
TWOLAYER_INLINE void update_gemv_rows(T* w, index_t ld, const T* a, T alpha, T decay, const T* x, const T* x2,
                                      T* y, T scale) {
    using batch = xsimd::batch<T, XA>;
    constexpr index_t Wd = batch::size, A = row_chains;
    const index_t n = ld;
    const batch d(decay);
    T ai[B];
    batch av[B], s[B][A];
    for (index_t r = 0; r < B; ++r) {
        ai[r] = alpha * a[r];
        av[r] = batch(ai[r]);
        for (index_t c = 0; c < A; ++c) s[r][c] = batch(T(0));
    }
    auto new_w = [&](index_t r, index_t j, const batch& xv) {
        const batch old = batch::load_unaligned(w + r * ld + j);
        const batch nw = Decay ? fmadd(av[r], xv, d * old) : fmadd(av[r], xv, old);
        nw.store_unaligned(w + r * ld + j);
        return nw;
    };
    index_t j = 0;
    for (; j + A * Wd <= n; j += A * Wd) {
        batch xv[A], zv[A];
        for (index_t c = 0; c < A; ++c) {
            xv[c] = batch::load_unaligned(x + j + c * Wd);
            zv[c] = batch::load_unaligned(x2 + j + c * Wd);
        }
        for (index_t r = 0; r < B; ++r)
            for (index_t c = 0; c < A; ++c) s[r][c] = fmadd(new_w(r, j + c * Wd, xv[c]), zv[c], s[r][c]);
    }
    for (index_t c = 0; j + Wd <= n; j += Wd, ++c) {
        const batch xv = batch::load_unaligned(x + j), zv = batch::load_unaligned(x2 + j);
        for (index_t r = 0; r < B; ++r) s[r][c] = fmadd(new_w(r, j, xv), zv, s[r][c]);
    }
    for (index_t r = 0; r < B; ++r) {
        T* wr = w + r * ld;
        T sum = sum_row<T, XA>(s[r]);
        index_t k = j;
        for (index_t left = n - j; left != 0; --left, ++k) {
            wr[k] = Decay ? T(decay * wr[k] + ai[r] * x[k]) : T(wr[k] + ai[r] * x[k]);
            sum += wr[k] * x2[k];
        }
        y[r] = scale * sum;
    }
}

// Whether float tanh has lanes on XA with the scalar code's bits: not on Armv7 NEON, where
// xsimd divides by a reciprocal estimate and the vector unit flushes subnormals to zero.
// (Elsewhere xsimd's * + / are the instructions MULPS, ADDPS, DIVPS..., correctly rounded.)
template <class XA>
constexpr bool exact_tanh_lanes() {
#if XSIMD_WITH_NEON && !XSIMD_WITH_NEON64
    return false;
#else
    return true;
#endif
}

// math::tanh_rational on a batch: the same multiplies, adds and divide in the same order, lane by
// lane (no FMA: plain * and +, and the library builds with -ffp-contract=off), so the same bits
// (NaN included: a NaN x fails t > 64 and x p / q carries x's payload, as in the scalar code).
// The scalar branch becomes a select.
template <class XA>
TWOLAYER_INLINE xsimd::batch<float, XA> tanh_rational(const xsimd::batch<float, XA>& x) {
    using namespace math::tanh_coef;
    using batch = xsimd::batch<float, XA>;
    const batch t = x * x;
    batch p = batch(p5) * t + batch(p4);
    p = p * t + batch(p3);
    p = p * t + batch(p2);
    p = p * t + batch(p1);
    p = p * t + batch(1.0f);
    batch q = batch(q4) * t + batch(q3);
    q = q * t + batch(q2);
    q = q * t + batch(q1);
    q = q * t + batch(1.0f);
    const batch r = x * p / q;
    // copysign(1, x): x's sign bit on 1.0f
    const batch one = (x & batch(-0.0f)) | batch(1.0f);
    return xsimd::select(t > batch(big_t), one, r);
}

}  // namespace detail_simd

// tanh on float, a batch at a time: bit for bit the scalar reference (tested).
template <class A, index_t E1, index_t E2, class XA, std::enable_if_t<detail_simd::exact_tanh_lanes<XA>(), int> = 0>
result<A, simd<XA>> kernel(op::tanh_map, vec_view<const float, E1> lambda, vec_view<float, E2> g,
                           requires_arch<simd<XA>>) {
    using batch = xsimd::batch<float, XA>;
    constexpr index_t W = batch::size;
    const index_t n = lambda.size();
    const float* x = lambda.data();
    float* y = g.data();
    index_t i = 0;
    for (; i + W <= n; i += W) detail_simd::tanh_rational<XA>(batch::load_unaligned(x + i)).store_unaligned(y + i);
    for (index_t r = 0; r < n % W; ++r) y[i + r] = math::tanh_rational(x[i + r]);
}

// sum a_i b_i: four batch accumulators, their lanes added through memory, the tail in index order.
template <class A, class T, index_t E1, index_t E2, class XA, detail_simd::enable<T, XA> = 0>
result<A, simd<XA>, T> kernel(op::dot, vec_view<const T, E1> a, vec_view<const T, E2> b, requires_arch<simd<XA>>) {
    return detail_simd::dot<T, XA>(a.data(), b.data(), a.size());
}

// y = scale W x: blocks of gemv_block_rows rows per load of x, each row summed in the order that
// rank1_update_gemv repeats (so the fused step has the separate step's bits).
template <class A, class T, index_t R, index_t C, index_t EX, index_t EY, class XA, detail_simd::enable<T, XA> = 0>
result<A, simd<XA>> kernel(op::gemv, mat_view<const T, R, C> W, vec_view<const T, EX> x, vec_view<T, EY> y, T scale,
                           requires_arch<simd<XA>>) {
    detail_simd::for_row_blocks<detail_simd::gemv_block_rows>([&](auto rows, index_t i) {
        detail_simd::gemv_rows<T, detail_simd::row_arch<XA>, decltype(rows)::value>(W.data() + i * W.cols(), W.cols(), x.data(), y.data() + i,
                                                             scale);
    }, W.rows());
}

namespace detail_simd {
// w_j = decay w_j + ai x_j for j in [j, end) on batches B, one FMA (one rounding) per element;
// returns the first index not done.
template <class B, bool Decay, class T>
TWOLAYER_INLINE index_t update_span(T* w, const T* x, T ai, T decay, index_t j, index_t end) {
    const B av(ai), d(decay);
    for (; j + B::size <= end; j += B::size) {
        const B old = B::load_unaligned(w + j);
        (Decay ? fmadd(av, B::load_unaligned(x + j), d * old) : fmadd(av, B::load_unaligned(x + j), old))
            .store_unaligned(w + j);
    }
    return j;
}
}  // namespace detail_simd

// W = decay W + (alpha a) x^T, one FMA per element in the body, multiply and add in the tail.
template <class A, class T, index_t R, index_t C, index_t EA, index_t EX, class XA, detail_simd::enable<T, XA> = 0>
result<A, simd<XA>> kernel(op::rank1_update, mat_view<T, R, C> W, vec_view<const T, EA> a, vec_view<const T, EX> x,
                           T alpha, T decay, requires_arch<simd<XA>>) {
    // The full-width batch for the body, then the row kernels' batch, then scalars: the
    // elements left to scalar code (a multiply and an add, two roundings, instead of one FMA)
    // are those rank1_update_gemv leaves to them, so the two write the same bits.
    using full = xsimd::batch<T, XA>;
    using row = xsimd::batch<T, detail_simd::row_arch<XA>>;
    const index_t n = W.cols();
    const index_t vec_end = n - n % row::size;
    for (index_t i = 0; i < W.rows(); ++i) {
        T* w = W.row(i).data();
        const T ai = alpha * a[i];
        index_t j;
        if (decay == T(1)) {
            j = detail_simd::update_span<full, false>(w, x.data(), ai, decay, 0, vec_end);
            j = detail_simd::update_span<row, false>(w, x.data(), ai, decay, j, vec_end);
            // j == vec_end here; a trip count below row::size keeps GCC 12 from a false UB warning.
            for (index_t r = 0; r < n % row::size; ++r) w[j + r] = w[j + r] + ai * x[j + r];
        } else {
            j = detail_simd::update_span<full, true>(w, x.data(), ai, decay, 0, vec_end);
            j = detail_simd::update_span<row, true>(w, x.data(), ai, decay, j, vec_end);
            for (index_t r = 0; r < n % row::size; ++r) w[j + r] = decay * w[j + r] + ai * x[j + r];
        }
    }
}

// W = decay W + alpha a x^T, then y = scale W x2 (the new W), in one pass over W. Same bits as
// rank1_update followed by gemv on this arch (tested).
template <class A, class T, index_t R, index_t C, index_t EA, index_t EX, index_t EX2, index_t EY, class XA,
          detail_simd::enable<T, XA> = 0>
result<A, simd<XA>> kernel(op::rank1_update_gemv, mat_view<T, R, C> W, vec_view<const T, EA> a,
                           vec_view<const T, EX> x, T alpha, T decay, vec_view<const T, EX2> x2, vec_view<T, EY> y,
                           T scale, requires_arch<simd<XA>>) {
    const index_t n = W.cols();
    auto run = [&](auto decay_on) {
        using RA = detail_simd::row_arch<XA>;
        detail_simd::for_row_blocks<detail_simd::update_block_rows>([&](auto rows, index_t i) {
            detail_simd::update_gemv_rows<T, RA, decltype(rows)::value, decltype(decay_on)::value>(
                W.data() + i * n, n, a.data() + i, alpha, decay, x.data(), x2.data(), y.data() + i, scale);
        }, W.rows());
    };
    if (decay == T(1)) run(std::false_type{}); else run(std::true_type{});
}

}  // namespace kernels
}  // namespace twolayer
#endif
