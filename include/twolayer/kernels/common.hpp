// Helpers shared by the arch kernels: compiler barriers that keep GCC's code in the shape the
// instruction counts were written for, the conversion of an exact integer sum, the raw words of
// 16-bit fixed point, and the one pattern that turns pointer kernels into implementations on
// views (TWOLAYER_POINTER_KERNELS). Portable C++ (GNU inline asm with no instructions).
#pragma once
#include <cstdint>
#include <type_traits>

#include "twolayer/core/config.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/dispatch.hpp"

namespace twolayer::kernels::detail {

/// Hides p's value from the optimizer (an empty asm that may change it), so that a pointer bumped
/// after each access stays a post-incrementing load or store (one instruction): where GCC 12 sees
/// accesses at constant offsets from one base (a loop it unrolled), it folds them into base +
/// offset, which multi-register loads (NEON LD1 x4) do not have and MVE's VLDRW has only up to 508
/// bytes, so it adds an ADD per access. The asm may still be moved or merged like any other
/// computation.
template <class T>
TWOLAYER_INLINE void opaque(T*& p) {
    __asm__("" : "+r"(p));
}

/// opaque, and also kept in place (volatile): GCC may not hoist it, nor the loads after it, out of
/// an enclosing loop when p's start value is loop-invariant (Helium: x for every row block).
template <class T>
TWOLAYER_INLINE void opaque_in_place(T*& p) {
    __asm__ volatile("" : "+r"(p));
}

/// Keeps loads below it (a compiler memory barrier, no instruction): without it GCC 12's scheduler
/// hoists the loads of later rows or blocks to the top of a loop body, needs more vector
/// registers than exist (NEON 32, MVE 8) and spills to the stack.
TWOLAYER_INLINE void load_fence() { __asm__ volatile("" ::: "memory"); }

/// C(s) for an exact integer sum s, the same value: through int32 when s fits (one VCVT from a
/// core register; the int64 conversion is a library call on 32-bit cores, __aeabi_l2f, see
/// docs/BENCHMARKS.md), else the int64 conversion. Both round the same integer correctly (with
/// round-to-nearest, the default FPSCR mode GCC assumes everywhere), so the bits are the same.
template <class C>
TWOLAYER_INLINE C exact_to(std::int64_t s) {
    if constexpr (std::is_floating_point<C>::value) {
        const std::int32_t lo = std::int32_t(s);
        if (std::int64_t(lo) == s) return C(lo);
    }
    return C(s);
}

/// The raw int16 words of 16-bit fixed-point values (fixed<int16_t, ...> is exactly its word).
template <class Q>
TWOLAYER_INLINE const std::int16_t* raw16(const Q* q) {
    static_assert(sizeof(Q) == sizeof(std::int16_t), "a 16-bit fixed-point value is its raw word");
    return reinterpret_cast<const std::int16_t*>(q);
}

/// 16-bit fixed point with Frac fraction bits (q3_12, q15).
template <int Frac>
using q16 = fixed<std::int16_t, std::int32_t, Frac>;

}  // namespace twolayer::kernels::detail

// TWOLAYER_POINTER_KERNELS(TAG, IMPL): the implementations on arch TAG of dot, gemv and
// rank1_update on views (float, double: the element types for which IMPL::takes<T> is true),
// each passing the views' pointers and sizes to the pointer kernels in namespace IMPL (the arch's
// detail namespace):
//   IMPL::dot(const T* a, const T* b, index_t n) -> T
//   IMPL::gemv<R, K>(const T* w, index_t rows, index_t cols, const T* x, T* y, T scale)
//       (R, K: the static extents of W, dynamic_extent if none)
//   IMPL::rank1_update<Decay>(T* w, index_t rows, index_t cols, const T* a, const T* x, T alpha,
//       T decay)  (Decay false: decay == 1, not multiplied)
// Used at namespace twolayer::kernels scope, once per arch header.
#define TWOLAYER_POINTER_KERNELS(TAG, IMPL)                                                                  \
    template <class A, class T, index_t E1, index_t E2, std::enable_if_t<IMPL::takes<T>, int> = 0>   \
    TWOLAYER_INLINE result<A, TAG, T> kernel(op::dot, vec_view<const T, E1> a, vec_view<const T, E2> b, requires_arch<TAG>) { \
        return IMPL::dot(a.data(), b.data(), a.size());                                                      \
    }                                                                                                        \
    template <class A, class T, index_t R, index_t K, index_t EX, index_t EY,                                \
              std::enable_if_t<IMPL::takes<T>, int> = 0>                                            \
    TWOLAYER_INLINE result<A, TAG> kernel(op::gemv, mat_view<const T, R, K> W, vec_view<const T, EX> x, vec_view<T, EY> y,    \
                          T scale, requires_arch<TAG>) {                                                     \
        IMPL::gemv<R, K>(W.data(), W.rows(), W.cols(), x.data(), y.data(), scale);                  \
    }                                                                                                        \
    template <class A, class T, index_t R, index_t K, index_t EA, index_t EX,                                \
              std::enable_if_t<IMPL::takes<T>, int> = 0>                                            \
    TWOLAYER_INLINE result<A, TAG> kernel(op::rank1_update, mat_view<T, R, K> W, vec_view<const T, EA> a,                     \
                          vec_view<const T, EX> x, T alpha, T decay, requires_arch<TAG>) {                   \
        if (decay == T(1))                                                                                   \
            IMPL::rank1_update<false>(W.data(), W.rows(), W.cols(), a.data(), x.data(), alpha, decay); \
        else                                                                                                 \
            IMPL::rank1_update<true>(W.data(), W.rows(), W.cols(), a.data(), x.data(), alpha, decay);  \
    }

// TWOLAYER_POINTER_KERNELS_Q16(TAG, IMPL): the same for 16-bit fixed point (exact int64 dot,
// gemv delivered in the arithmetic type C), with, in namespace IMPL,
//   IMPL::dot<E>(const int16_t* a, const int16_t* b, index_t n) -> int64_t  (E: a static extent)
//   IMPL::gemv<K>(const int16_t* w, index_t rows, index_t cols, const int16_t* x, C* y, C s)
//       (s = scale * dot_unit, the scalar gemv's factor)
#define TWOLAYER_POINTER_KERNELS_Q16(TAG, IMPL)                                                              \
    template <class A, int Frac, index_t E1, index_t E2>                                                     \
    TWOLAYER_INLINE result<A, TAG, std::int64_t> kernel(op::dot, vec_view<const detail::q16<Frac>, E1> a,                    \
                                        vec_view<const detail::q16<Frac>, E2> b, requires_arch<TAG>) {       \
        return IMPL::dot<E1 != dynamic_extent ? E1 : E2>(detail::raw16(a.data()), detail::raw16(b.data()), \
                                                                  a.size());                                 \
    }                                                                                                        \
    template <class A, int Frac, class C, index_t R, index_t K, index_t EX, index_t EY>                      \
    TWOLAYER_INLINE result<A, TAG> kernel(op::gemv, mat_view<const detail::q16<Frac>, R, K> W,                               \
                          vec_view<const detail::q16<Frac>, EX> x, vec_view<C, EY> y, C scale, requires_arch<TAG>) { \
        IMPL::gemv<K>(detail::raw16(W.data()), W.rows(), W.cols(), detail::raw16(x.data()), y.data(),  \
                               C(scale * C(format_traits<detail::q16<Frac>>::dot_unit)));                     \
    }
