// The scalar reference kernels for every format: the oracle every optimized kernel is tested
// against. Sums run in index order so results are reproducible bit for bit (with
// -ffp-contract=off); fixed-point sums are exact integers, so optimized integer kernels must give
// the same bits in any order.
//
// Types: S is a storage type (weights, inputs), C the arithmetic type results are delivered in.
// For float and double both are the same type and these are the plain textbook loops.
#pragma once
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/format/update_rule.hpp"

namespace twolayer::kernels {

// sum_i a_i b_i in the format's accumulator (exact int64 for fixed point; see format_traits).
template <class S, index_t E1, index_t E2>
accum_t<S> dot(vec_view<const S, E1> a, vec_view<const S, E2> b, arch::scalar) {
    accum_t<S> s(0);
    for (index_t i = 0; i < a.size(); ++i) s += format_traits<S>::to_accum_product(a[i], b[i]);
    return s;
}

// g_k = Act(lambda_k), the activation map of the forward pass, in the arithmetic type.
template <class Act, class C, index_t E1, index_t E2>
void activate(Act, vec_view<const C, E1> lambda, vec_view<C, E2> g, arch::scalar) {
    for (index_t k = 0; k < lambda.size(); ++k) g[k] = Act::value(lambda[k]);
}

// y_i = scale * (W x)_i, delivered in C.
template <class S, class C, index_t R, index_t K, index_t EX, index_t EY>
void gemv(mat_view<const S, R, K> W, vec_view<const S, EX> x, vec_view<C, EY> y, C scale, arch::scalar) {
    // One unit of the accumulator is worth dot_unit (1 for floating formats: scale unchanged).
    const C s = format_traits<S>::dot_unit == 1.0 ? scale : C(scale * C(format_traits<S>::dot_unit));
    for (index_t i = 0; i < W.rows(); ++i) {
        vec_view<const S, K> w = W.row(i);
        y[i] = C(s * C(dot(w, x, arch::scalar{})));
    }
}

// y_i = scale * (W x)_i + b_i, the pre-activations of a layer with biases, b in the storage type:
// the arch's own gemv followed by the addition (the sum scaled and rounded, then the bias added).
// On arch::scalar this is the reference; an arch with its own gemv_bias (DSP) gives the same bits,
// and one without gets this template with its own gemv.
template <class S, class C, index_t R, index_t K, index_t EX, index_t EB, index_t EY, class Arch,
          std::enable_if_t<std::is_base_of<scalar, Arch>::value, int> = 0>
void gemv_bias(mat_view<const S, R, K> W, vec_view<const S, EX> x, vec_view<const S, EB> b, vec_view<C, EY> y,
               C scale, Arch arch) {
    gemv(W, x, y, scale, arch);
    for (index_t i = 0; i < y.size(); ++i) y[i] = y[i] + format_traits<S>::template to<C>(b[i]);
}

// y_j = scale * (W^T u)_j with u and y in C.
template <class S, class C, index_t R, index_t K, index_t EU, index_t EY>
void gemv_t(mat_view<const S, R, K> W, vec_view<const C, EU> u, vec_view<C, EY> y, C scale, arch::scalar) {
    for (index_t j = 0; j < W.cols(); ++j) {
        C s(0);
        for (index_t i = 0; i < W.rows(); ++i)
            s += format_traits<S>::template to<C>(W(i, j)) * u[i];
        y[j] = C(scale * s);
    }
}

// W_ij = decay * W_ij + (alpha a_i) x_j with W, a in the arithmetic type C and x in any storage
// type X (gradient sums, float master weights).
// (decay = 1 - lr * weight_decay; exactly 1 skips the multiply so plain SGD pays nothing for it)
template <class C, class X, index_t R, index_t K, index_t EA, index_t EX>
void rank1_update(mat_view<C, R, K> W, vec_view<const C, EA> a, vec_view<const X, EX> x, C alpha, C decay,
                  arch::scalar) {
    for (index_t i = 0; i < W.rows(); ++i) {
        C* TWOLAYER_RESTRICT w = W.row(i).data();
        const C ai = alpha * a[i];
        if (decay == C(1)) {
            for (index_t j = 0; j < W.cols(); ++j) w[j] = w[j] + ai * format_traits<X>::template to<C>(x[j]);
        } else {
            for (index_t j = 0; j < W.cols(); ++j)
                w[j] = decay * w[j] + ai * format_traits<X>::template to<C>(x[j]);
        }
    }
}

// The fused kernel of the one-pass SGD step (float and double): W_ij = decay * W_ij + (alpha a_i) x_j
// as rank1_update, then y_i = scale * (W x2)_i with the NEW W as gemv, row by row, so a row is
// read once and written once. The reference: each row is updated in index order, then summed in
// index order, the very operations of rank1_update followed by gemv on arch::scalar (so the two
// give the same bits).
template <class T, index_t R, index_t K, index_t EA, index_t EX, index_t EX2, index_t EY>
void rank1_update_gemv(mat_view<T, R, K> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha, T decay,
                       vec_view<const T, EX2> x2, vec_view<T, EY> y, T scale, arch::scalar) {
    static_assert(is_native_v<T>, "rank1_update_gemv: float and double only");
    for (index_t i = 0; i < W.rows(); ++i) {
        T* TWOLAYER_RESTRICT w = W.row(i).data();
        const T ai = alpha * a[i];
        if (decay == T(1)) {
            for (index_t j = 0; j < W.cols(); ++j) w[j] = w[j] + ai * x[j];
        } else {
            for (index_t j = 0; j < W.cols(); ++j) w[j] = decay * w[j] + ai * x[j];
        }
        T s(0);
        for (index_t j = 0; j < W.cols(); ++j) s += w[j] * x2[j];
        y[i] = scale * s;
    }
}

// An arch without its own rank1_update_gemv (NEON, DSP, Helium today) runs its own rank1_update
// and then its own gemv, not the scalar reference: the fused SGD step then gives the same bits as
// the separate step on every arch. (A deliberate exception to "fall back to scalar": this
// template is more specialized than nothing but less than an arch's own overload, and it wins
// over the arch::scalar one for every derived tag by exact match.)
template <class T, index_t R, index_t K, index_t EA, index_t EX, index_t EX2, index_t EY, class Arch,
          std::enable_if_t<std::is_base_of<scalar, Arch>::value && !std::is_same<Arch, scalar>::value, int> = 0>
void rank1_update_gemv(mat_view<T, R, K> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha, T decay,
                       vec_view<const T, EX2> x2, vec_view<T, EY> y, T scale, Arch arch) {
    rank1_update(W, a, x, alpha, decay, arch);
    gemv(mat_view<const T, R, K>(W), x2, y, scale, arch);
}

// The same update for weights stored in a format F narrower than its arithmetic: each new value
// is computed in compute_t<F> and stored with the rounding policy (apply_update).
template <class F, class Rnd, index_t R, index_t K, index_t EA, index_t EX>
void rank1_update_stored(format_tag<F>, mat_view<storage_t<F>, R, K> W, vec_view<const compute_t<F>, EA> a,
                         vec_view<const storage_t<F>, EX> x, compute_t<F> alpha, compute_t<F> decay, Rnd& rnd,
                         arch::scalar) {
    using C = compute_t<F>;
    for (index_t i = 0; i < W.rows(); ++i) {
        storage_t<F>* w = W.row(i).data();
        const C ai = alpha * a[i];
        for (index_t j = 0; j < W.cols(); ++j) w[j] = apply_update<F>(w[j], ai * value_of<F>(x[j]), decay, rnd);
    }
}

// W_s = store(W_c): master weights in C written into the storage format, to nearest.
template <class F, index_t E1, index_t E2>
void store_all(format_tag<F>, vec_view<const compute_t<F>, E1> from, vec_view<storage_t<F>, E2> to, arch::scalar) {
    for (index_t i = 0; i < to.size(); ++i) to[i] = store_as<F>(from[i]);
}

// y += a x
template <class T, index_t EX, index_t EY>
void axpy(T a, vec_view<const T, EX> x, vec_view<T, EY> y, arch::scalar) {
    for (index_t i = 0; i < y.size(); ++i) y[i] = y[i] + a * x[i];
}

}  // namespace twolayer::kernels
