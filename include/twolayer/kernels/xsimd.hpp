// Optimized float/double kernels on xsimd batches (x86 SSE2/AVX2/AVX-512, NEON). Overloads only:
// whatever is missing here (other formats, other kernels) resolves to the scalar reference
// through the arch tag's base class. Sums are split over several accumulators for throughput, so
// results differ from the scalar kernels by rounding only (tested: a few ulp times the fan-in).
#pragma once
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "twolayer/arch/simd.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/scalar.hpp"

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

template <class T, class XA>
T dot(const T* a, const T* b, index_t n) {
    using batch = xsimd::batch<T, XA>;
    constexpr index_t W = batch::size;
    batch s0(T(0)), s1(T(0)), s2(T(0)), s3(T(0));
    index_t i = 0;
    for (; i + 4 * W <= n; i += 4 * W) {
        s0 = xsimd::fma(batch::load_unaligned(a + i), batch::load_unaligned(b + i), s0);
        s1 = xsimd::fma(batch::load_unaligned(a + i + W), batch::load_unaligned(b + i + W), s1);
        s2 = xsimd::fma(batch::load_unaligned(a + i + 2 * W), batch::load_unaligned(b + i + 2 * W), s2);
        s3 = xsimd::fma(batch::load_unaligned(a + i + 3 * W), batch::load_unaligned(b + i + 3 * W), s3);
    }
    for (; i + W <= n; i += W) s0 = xsimd::fma(batch::load_unaligned(a + i), batch::load_unaligned(b + i), s0);
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
// a gemv and the fused kernel give the same bits: chunk c of W lanes goes to accumulator c % 2
// (a last odd chunk to accumulator 0), the lanes of acc0 + acc1 are summed in lane order, then
// the remainder elements in index order. Several rows are taken per load of x (their own
// accumulators, one reduction per row at the end); how rows are grouped does not change a
// row's arithmetic.
template <class T, class XA>
T sum_lanes(xsimd::batch<T, XA> s0, xsimd::batch<T, XA> s1) {
    // Through memory, not xsimd::hadd (see dot above).
    constexpr index_t W = xsimd::batch<T, XA>::size;
    T lane[W];
    (s0 + s1).store_unaligned(lane);
    T s(0);
    for (index_t k = 0; k < W; ++k) s += lane[k];
    return s;
}

// Rows per block: 4 rows x 2 accumulators = 8 independent FMA chains for the gemv; the fused
// kernel also keeps each row's broadcast factor, so it takes 4 rows only where there are 32
// registers (AVX-512) and 2 elsewhere.
constexpr index_t gemv_block_rows = 4;
template <class T, class XA>
constexpr index_t update_block_rows() {
    return sizeof(xsimd::batch<T, XA>) >= 64 ? 4 : 2;
}

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
    constexpr index_t Wd = batch::size;
    const index_t n = ld;
    batch s0[B], s1[B];
    for (index_t r = 0; r < B; ++r) s0[r] = s1[r] = batch(T(0));
    index_t j = 0;
    for (; j + 2 * Wd <= n; j += 2 * Wd) {
        const batch xa = batch::load_unaligned(x + j), xb = batch::load_unaligned(x + j + Wd);
        for (index_t r = 0; r < B; ++r) {
            s0[r] = xsimd::fma(batch::load_unaligned(w + r * ld + j), xa, s0[r]);
            s1[r] = xsimd::fma(batch::load_unaligned(w + r * ld + j + Wd), xb, s1[r]);
        }
    }
    if (j + Wd <= n) {
        const batch xa = batch::load_unaligned(x + j);
        for (index_t r = 0; r < B; ++r) s0[r] = xsimd::fma(batch::load_unaligned(w + r * ld + j), xa, s0[r]);
        j += Wd;
    }
    for (index_t r = 0; r < B; ++r) {
        const T* wr = w + r * ld;
        T s = sum_lanes<T, XA>(s0[r], s1[r]);
        index_t k = j;
        for (index_t left = n - j; left != 0; --left, ++k) s += wr[k] * x[k];
        y[r] = scale * s;
    }
}

// For B rows: w_r = decay w_r + (alpha a_r) x (exactly rank1_update's arithmetic), then
// y[r] = scale * (w_r . x2) with the new w_r (exactly gemv_rows's arithmetic), in one pass: the
// updated chunk is stored and multiplied into the accumulator while it is in a register.
template <class T, class XA, index_t B, bool Decay>
TWOLAYER_INLINE void update_gemv_rows(T* w, index_t ld, const T* a, T alpha, T decay, const T* x, const T* x2,
                                      T* y, T scale) {
    using batch = xsimd::batch<T, XA>;
    constexpr index_t Wd = batch::size;
    const index_t n = ld;
    const batch d(decay);
    T ai[B];
    batch av[B], s0[B], s1[B];
    for (index_t r = 0; r < B; ++r) {
        ai[r] = alpha * a[r];
        av[r] = batch(ai[r]);
        s0[r] = s1[r] = batch(T(0));
    }
    auto new_w = [&](index_t r, index_t j, const batch& xv) {
        const batch old = batch::load_unaligned(w + r * ld + j);
        const batch nw = Decay ? xsimd::fma(av[r], xv, d * old) : xsimd::fma(av[r], xv, old);
        nw.store_unaligned(w + r * ld + j);
        return nw;
    };
    index_t j = 0;
    for (; j + 2 * Wd <= n; j += 2 * Wd) {
        const batch xa = batch::load_unaligned(x + j), xb = batch::load_unaligned(x + j + Wd);
        const batch za = batch::load_unaligned(x2 + j), zb = batch::load_unaligned(x2 + j + Wd);
        for (index_t r = 0; r < B; ++r) {
            s0[r] = xsimd::fma(new_w(r, j, xa), za, s0[r]);
            s1[r] = xsimd::fma(new_w(r, j + Wd, xb), zb, s1[r]);
        }
    }
    if (j + Wd <= n) {
        const batch xa = batch::load_unaligned(x + j), za = batch::load_unaligned(x2 + j);
        for (index_t r = 0; r < B; ++r) s0[r] = xsimd::fma(new_w(r, j, xa), za, s0[r]);
        j += Wd;
    }
    for (index_t r = 0; r < B; ++r) {
        T* wr = w + r * ld;
        T s = sum_lanes<T, XA>(s0[r], s1[r]);
        index_t k = j;
        for (index_t left = n - j; left != 0; --left, ++k) {
            wr[k] = Decay ? T(decay * wr[k] + ai[r] * x[k]) : T(wr[k] + ai[r] * x[k]);
            s += wr[k] * x2[k];
        }
        y[r] = scale * s;
    }
}

}  // namespace detail_simd

template <class T, index_t E1, index_t E2, class XA, detail_simd::enable<T, XA> = 0>
T dot(vec_view<const T, E1> a, vec_view<const T, E2> b, simd<XA>) {
    return detail_simd::dot<T, XA>(a.data(), b.data(), a.size());
}

template <class T, index_t R, index_t C, index_t EX, index_t EY, class XA, detail_simd::enable<T, XA> = 0>
void gemv(mat_view<const T, R, C> W, vec_view<const T, EX> x, vec_view<T, EY> y, T scale, simd<XA>) {
    detail_simd::for_row_blocks<detail_simd::gemv_block_rows>([&](auto rows, index_t i) {
        detail_simd::gemv_rows<T, XA, decltype(rows)::value>(W.data() + i * W.cols(), W.cols(), x.data(), y.data() + i,
                                                             scale);
    }, W.rows());
}

template <class T, index_t R, index_t C, index_t EA, index_t EX, class XA, detail_simd::enable<T, XA> = 0>
void rank1_update(mat_view<T, R, C> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha, T decay,
                  simd<XA>) {
    using batch = xsimd::batch<T, XA>;
    constexpr index_t Wd = batch::size;
    const index_t n = W.cols();
    const batch d(decay);
    for (index_t i = 0; i < W.rows(); ++i) {
        T* w = W.row(i).data();
        const T ai = alpha * a[i];
        const batch av(ai);
        index_t j = 0;
        if (decay == T(1)) {
            for (; j + Wd <= n; j += Wd)
                xsimd::fma(av, batch::load_unaligned(x.data() + j), batch::load_unaligned(w + j)).store_unaligned(w + j);
            for (index_t r = n - j; r != 0; --r, ++j) w[j] = w[j] + ai * x[j];
        } else {
            for (; j + Wd <= n; j += Wd)
                xsimd::fma(av, batch::load_unaligned(x.data() + j), d * batch::load_unaligned(w + j)).store_unaligned(w + j);
            for (index_t r = n - j; r != 0; --r, ++j) w[j] = decay * w[j] + ai * x[j];
        }
    }
}

// W = decay W + alpha a x^T, then y = scale W x2 (the new W), in one pass over W. Same bits as
// rank1_update followed by gemv on this arch (tested).
template <class T, index_t R, index_t C, index_t EA, index_t EX, index_t EX2, index_t EY, class XA,
          detail_simd::enable<T, XA> = 0>
void rank1_update_gemv(mat_view<T, R, C> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha, T decay,
                       vec_view<const T, EX2> x2, vec_view<T, EY> y, T scale, simd<XA>) {
    const index_t n = W.cols();
    auto run = [&](auto decay_on) {
        detail_simd::for_row_blocks<detail_simd::update_block_rows<T, XA>()>([&](auto rows, index_t i) {
            detail_simd::update_gemv_rows<T, XA, decltype(rows)::value, decltype(decay_on)::value>(
                W.data() + i * n, n, a.data() + i, alpha, decay, x.data(), x2.data(), y.data() + i, scale);
        }, W.rows());
    };
    if (decay == T(1)) run(std::false_type{}); else run(std::true_type{});
}

template <class T, index_t EX, index_t EY, class XA, detail_simd::enable<T, XA> = 0>
void axpy(T a, vec_view<const T, EX> x, vec_view<T, EY> y, simd<XA>) {
    using batch = xsimd::batch<T, XA>;
    constexpr index_t Wd = batch::size;
    const batch av(a);
    index_t j = 0;
    for (; j + Wd <= y.size(); j += Wd)
        xsimd::fma(av, batch::load_unaligned(x.data() + j), batch::load_unaligned(y.data() + j)).store_unaligned(y.data() + j);
    for (index_t r = y.size() - j; r != 0; --r, ++j) y[j] = y[j] + a * x[j];
}

}  // namespace kernels
}  // namespace twolayer
