// Explicit NEON kernels: float on Armv7-A (NEON-VFPv4) and AArch64, double on AArch64 only
// (Armv7 NEON has no double lanes). Overloads only; whatever is missing resolves to the scalar
// reference through the tag's base class. Fused multiply-adds and split accumulators make the
// results differ from the scalar kernels by rounding only (tested: a few ulp times the fan-in).
#pragma once
#include <arm_neon.h>

#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/neon_lanes.hpp"
#include "twolayer/kernels/scalar.hpp"

namespace twolayer::kernels {
namespace detail_neon {

template <class T>
using enable = std::enable_if_t<has_lanes<T>, int>;

// Remainder loops count down (r = n - i): on the plain `for (; i < n; ++i)` form GCC 12 warns
// falsely ("iteration ... invokes undefined behavior") when sizes are small compile-time
// constants, and the library builds with -Werror.

// Four accumulators: a single chain would wait for each FMA's latency.
template <class T>
T dot(const T* a, const T* b, index_t n) {
    using L = lanes<T>;
    constexpr index_t W = L::width;
    typename L::reg s0 = L::zero(), s1 = L::zero(), s2 = L::zero(), s3 = L::zero();
    index_t i = 0;
    for (; i + 4 * W <= n; i += 4 * W) {
        s0 = L::fma(s0, L::load(a + i), L::load(b + i));
        s1 = L::fma(s1, L::load(a + i + W), L::load(b + i + W));
        s2 = L::fma(s2, L::load(a + i + 2 * W), L::load(b + i + 2 * W));
        s3 = L::fma(s3, L::load(a + i + 3 * W), L::load(b + i + 3 * W));
    }
    for (; i + W <= n; i += W) s0 = L::fma(s0, L::load(a + i), L::load(b + i));
    T s = L::sum(L::add(L::add(s0, s1), L::add(s2, s3)));
    for (index_t r = n - i; r != 0; --r, ++i) s += a[i] * b[i];
    return s;
}

// Four rows share each load of x, which halves the loads per multiply-add against row by row.
template <class T>
void gemv(const T* w, index_t rows, index_t n, const T* x, T* y, T scale) {
    using L = lanes<T>;
    constexpr index_t W = L::width;
    index_t i = 0;
    for (; i + 4 <= rows; i += 4) {
        const T* w0 = w + i * n;
        const T* w1 = w0 + n;
        const T* w2 = w1 + n;
        const T* w3 = w2 + n;
        typename L::reg a0 = L::zero(), a1 = L::zero(), a2 = L::zero(), a3 = L::zero();
        index_t j = 0;
        for (; j + W <= n; j += W) {
            const typename L::reg xv = L::load(x + j);
            a0 = L::fma(a0, L::load(w0 + j), xv);
            a1 = L::fma(a1, L::load(w1 + j), xv);
            a2 = L::fma(a2, L::load(w2 + j), xv);
            a3 = L::fma(a3, L::load(w3 + j), xv);
        }
        T s0 = L::sum(a0), s1 = L::sum(a1), s2 = L::sum(a2), s3 = L::sum(a3);
        for (index_t r = n - j; r != 0; --r, ++j) {
            s0 += w0[j] * x[j];
            s1 += w1[j] * x[j];
            s2 += w2[j] * x[j];
            s3 += w3[j] * x[j];
        }
        y[i] = scale * s0;
        y[i + 1] = scale * s1;
        y[i + 2] = scale * s2;
        y[i + 3] = scale * s3;
    }
    for (index_t r = rows - i; r != 0; --r, ++i) y[i] = scale * dot(w + i * n, x, n);
}

// Column blocks: each u_i is broadcast once per block and the sum over i keeps the scalar order.
template <class T>
void gemv_t(const T* w, index_t rows, index_t n, const T* u, T* y, T scale) {
    using L = lanes<T>;
    constexpr index_t W = L::width;
    index_t j = 0;
    for (; j + 4 * W <= n; j += 4 * W) {
        typename L::reg a0 = L::zero(), a1 = L::zero(), a2 = L::zero(), a3 = L::zero();
        for (index_t i = 0; i < rows; ++i) {
            const T* wi = w + i * n + j;
            const typename L::reg ui = L::dup(u[i]);
            a0 = L::fma(a0, L::load(wi), ui);
            a1 = L::fma(a1, L::load(wi + W), ui);
            a2 = L::fma(a2, L::load(wi + 2 * W), ui);
            a3 = L::fma(a3, L::load(wi + 3 * W), ui);
        }
        const typename L::reg s = L::dup(scale);
        L::store(y + j, L::mul(s, a0));
        L::store(y + j + W, L::mul(s, a1));
        L::store(y + j + 2 * W, L::mul(s, a2));
        L::store(y + j + 3 * W, L::mul(s, a3));
    }
    for (; j + W <= n; j += W) {
        typename L::reg a = L::zero();
        for (index_t i = 0; i < rows; ++i) a = L::fma(a, L::load(w + i * n + j), L::dup(u[i]));
        L::store(y + j, L::mul(L::dup(scale), a));
    }
    for (index_t r = n - j; r != 0; --r, ++j) {
        T s(0);
        for (index_t i = 0; i < rows; ++i) s += w[i * n + j] * u[i];
        y[j] = scale * s;
    }
}

// y = decay y + a x (decay == 1: y + a x, without the multiply), in place.
template <class T>
void scaled_axpy(T* y, const T* x, index_t n, T a, T decay) {
    using L = lanes<T>;
    constexpr index_t W = L::width;
    const typename L::reg av = L::dup(a), d = L::dup(decay);
    index_t j = 0;
    if (decay == T(1)) {
        for (; j + W <= n; j += W) L::store(y + j, L::fma(L::load(y + j), av, L::load(x + j)));
        for (index_t r = n - j; r != 0; --r, ++j) y[j] = y[j] + a * x[j];
    } else {
        for (; j + W <= n; j += W) L::store(y + j, L::fma(L::mul(d, L::load(y + j)), av, L::load(x + j)));
        for (index_t r = n - j; r != 0; --r, ++j) y[j] = decay * y[j] + a * x[j];
    }
}

}  // namespace detail_neon

template <class T, index_t E1, index_t E2, detail_neon::enable<T> = 0>
T dot(vec_view<const T, E1> a, vec_view<const T, E2> b, neon) {
    return detail_neon::dot(a.data(), b.data(), a.size());
}

template <class T, index_t R, index_t C, index_t EX, index_t EY, detail_neon::enable<T> = 0>
void gemv(mat_view<const T, R, C> W, vec_view<const T, EX> x, vec_view<T, EY> y, T scale, neon) {
    detail_neon::gemv(W.data(), W.rows(), W.cols(), x.data(), y.data(), scale);
}

template <class T, index_t R, index_t C, index_t EU, index_t EY, detail_neon::enable<T> = 0>
void gemv_t(mat_view<const T, R, C> W, vec_view<const T, EU> u, vec_view<T, EY> y, T scale, neon) {
    detail_neon::gemv_t(W.data(), W.rows(), W.cols(), u.data(), y.data(), scale);
}

template <class T, index_t R, index_t C, index_t EA, index_t EX, detail_neon::enable<T> = 0>
void rank1_update(mat_view<T, R, C> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha, T decay,
                  neon) {
    for (index_t i = 0; i < W.rows(); ++i)
        detail_neon::scaled_axpy(W.row(i).data(), x.data(), W.cols(), T(alpha * a[i]), decay);
}

template <class T, index_t EX, index_t EY, detail_neon::enable<T> = 0>
void axpy(T a, vec_view<const T, EX> x, vec_view<T, EY> y, neon) {
    detail_neon::scaled_axpy(y.data(), x.data(), y.size(), a, T(1));
}

}  // namespace twolayer::kernels
