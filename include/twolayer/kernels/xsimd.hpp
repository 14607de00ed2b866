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

}  // namespace detail_simd

template <class T, index_t E1, index_t E2, class XA, detail_simd::enable<T, XA> = 0>
T dot(vec_view<const T, E1> a, vec_view<const T, E2> b, simd<XA>) {
    return detail_simd::dot<T, XA>(a.data(), b.data(), a.size());
}

template <class T, index_t R, index_t C, index_t EX, index_t EY, class XA, detail_simd::enable<T, XA> = 0>
void gemv(mat_view<const T, R, C> W, vec_view<const T, EX> x, vec_view<T, EY> y, T scale, simd<XA>) {
    for (index_t i = 0; i < W.rows(); ++i) y[i] = scale * detail_simd::dot<T, XA>(W.row(i).data(), x.data(), W.cols());
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
            for (index_t r = 0; r < n % Wd; ++r) w[j + r] = w[j + r] + ai * x[j + r];  // r < Wd: no false UB warning
        } else {
            for (; j + Wd <= n; j += Wd)
                xsimd::fma(av, batch::load_unaligned(x.data() + j), d * batch::load_unaligned(w + j)).store_unaligned(w + j);
            for (index_t r = 0; r < n % Wd; ++r) w[j + r] = decay * w[j + r] + ai * x[j + r];
        }
    }
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
