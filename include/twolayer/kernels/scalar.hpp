// The scalar reference kernels: the oracle every optimized kernel is tested against.
// Sums run in index order so results are reproducible bit for bit (with -ffp-contract=off).
#pragma once
#include "twolayer/arch/tags.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"

namespace twolayer::kernels {

// sum_i a_i b_i
template <class T, index_t E1, index_t E2>
accum_t<T> dot(vec_view<const T, E1> a, vec_view<const T, E2> b, arch::scalar) {
    accum_t<T> s(0);
    for (index_t i = 0; i < a.size(); ++i) s += accum_t<T>(a[i]) * accum_t<T>(b[i]);
    return s;
}

// y_i = scale * (W x)_i
template <class T, index_t R, index_t C, index_t EX, index_t EY>
void gemv(mat_view<const T, R, C> W, vec_view<const T, EX> x, vec_view<T, EY> y, T scale,
          arch::scalar) {
    for (index_t i = 0; i < W.rows(); ++i) {
        vec_view<const T, C> w = W.row(i);
        y[i] = T(scale * dot(w, x, arch::scalar{}));
    }
}

// y_j = scale * (W^T u)_j
template <class T, index_t R, index_t C, index_t EU, index_t EY>
void gemv_t(mat_view<const T, R, C> W, vec_view<const T, EU> u, vec_view<T, EY> y, T scale,
            arch::scalar) {
    for (index_t j = 0; j < W.cols(); ++j) {
        accum_t<T> s(0);
        for (index_t i = 0; i < W.rows(); ++i) s += accum_t<T>(W(i, j)) * accum_t<T>(u[i]);
        y[j] = T(scale * s);
    }
}

// W_ij = decay * W_ij + (alpha a_i) x_j
// (decay = 1 - lr * weight_decay; exactly 1 skips the multiply so plain SGD pays nothing for it)
template <class T, index_t R, index_t C, index_t EA, index_t EX>
void rank1_update(mat_view<T, R, C> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha,
                  T decay, arch::scalar) {
    for (index_t i = 0; i < W.rows(); ++i) {
        T* TWOLAYER_RESTRICT w = W.row(i).data();
        const T ai = alpha * a[i];
        if (decay == T(1)) {
            for (index_t j = 0; j < W.cols(); ++j) w[j] = w[j] + ai * x[j];
        } else {
            for (index_t j = 0; j < W.cols(); ++j) w[j] = decay * w[j] + ai * x[j];
        }
    }
}

// y += a x
template <class T, index_t EX, index_t EY>
void axpy(T a, vec_view<const T, EX> x, vec_view<T, EY> y, arch::scalar) {
    for (index_t i = 0; i < y.size(); ++i) y[i] = y[i] + a * x[i];
}

}  // namespace twolayer::kernels
