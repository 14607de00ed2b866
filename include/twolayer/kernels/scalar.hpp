// The scalar reference kernels for every format: the oracle every optimized kernel is tested
// against, the implementations on the root tag (arch/tags.hpp: the dispatch rule), and the public
// entries every caller uses. Sums run in index order so results are reproducible bit for bit
// (with -ffp-contract=off); fixed-point sums are exact integers, so optimized integer kernels must
// give the same bits in any order.
//
// Types: S is a storage type (weights, inputs), C the arithmetic type results are delivered in.
// For float and double both are the same type and these are the plain textbook loops.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/format/update_rule.hpp"
#include "twolayer/kernels/dispatch.hpp"

namespace twolayer::kernels {

/// What absmax reports: whether every element is finite and, if so, the largest magnitude
/// (0 for an empty vector; absmax is left 0 when an element is not finite).
template <class T>
struct absmax_result {
    bool finite = true;
    T absmax = T(0);
};

// ---- implementations on the root tag: the reference, and the compositions (rule 3) ----

// sum_i a_i b_i in the format's accumulator (exact int64 for fixed point; see format_traits).
// Fixed point: exact only for n <= max_dot_length_v<S> (q4_27 and q31: 131071; 16-bit formats:
// beyond any 32-bit size); one more term of raw_min * raw_min can overflow the int64 sum, which is
// undefined behaviour. Static extents are checked here; the network checks its N, and code with
// run-time sizes calls dot_length_fits<F>(n) first.
template <class A, class S, index_t E1, index_t E2>
result<A, scalar, accum_t<S>> kernel(op::dot, vec_view<const S, E1> a, vec_view<const S, E2> b,
                                     requires_arch<scalar>) {
    static_assert(E1 == dynamic_extent || E1 <= max_dot_length_v<S>,
                  "dot: more terms than the format's accumulator holds (max_dot_length_v)");
    accum_t<S> s(0);
    for (index_t i = 0; i < a.size(); ++i) s += format_traits<S>::to_accum_product(a[i], b[i]);
    return s;
}

// y_i = scale * (W x)_i, delivered in C.
template <class A, class S, class C, index_t R, index_t K, index_t EX, index_t EY>
result<A, scalar> kernel(op::gemv, mat_view<const S, R, K> W, vec_view<const S, EX> x, vec_view<C, EY> y, C scale,
                         requires_arch<scalar>) {
    // One unit of the accumulator is worth dot_unit (1 for floating formats: scale unchanged).
    const C s = format_traits<S>::dot_unit == 1.0 ? scale : C(scale * C(format_traits<S>::dot_unit));
    for (index_t i = 0; i < W.rows(); ++i) {
        vec_view<const S, K> w = W.row(i);
        y[i] = C(s * C(kernel<scalar>(op::dot{}, w, x, scalar{})));
    }
}

namespace detail_scalar {
// y = scale W x + b as arch A's gemv followed by the addition (the sum scaled and rounded, then
// the bias added): the reference of gemv_bias, and what an arch gets that has no gemv_bias.
template <class A, class S, class C, index_t R, index_t K, index_t EX, index_t EB, index_t EY>
TWOLAYER_INLINE void gemv_then_bias(mat_view<const S, R, K> W, vec_view<const S, EX> x, vec_view<const S, EB> b,
                                    vec_view<C, EY> y, C scale) {
    kernel<A>(op::gemv{}, W, x, y, scale, A{});
    for (index_t i = 0; i < y.size(); ++i) y[i] = y[i] + format_traits<S>::template to<C>(b[i]);
}
}  // namespace detail_scalar

// y_i = scale * (W x)_i + b_i, the pre-activations of a layer with biases, b in the storage type:
// the caller's arch's own gemv, then the addition. An arch with its own gemv_bias (DSP) gives the
// same bits.
template <class A, class S, class C, index_t R, index_t K, index_t EX, index_t EB, index_t EY>
result<A, scalar> kernel(op::gemv_bias, mat_view<const S, R, K> W, vec_view<const S, EX> x, vec_view<const S, EB> b,
                         vec_view<C, EY> y, C scale, requires_arch<scalar>) {
    detail_scalar::gemv_then_bias<A>(W, x, b, y, scale);
}

// W_ij = decay * W_ij + (alpha a_i) x_j with W, a in the arithmetic type C and x in any storage
// type X (gradient sums, float master weights).
// (decay = 1 - lr * weight_decay; exactly 1 skips the multiply so plain SGD pays nothing for it)
template <class A, class C, class X, index_t R, index_t K, index_t EA, index_t EX>
result<A, scalar> kernel(op::rank1_update, mat_view<C, R, K> W, vec_view<const C, EA> a, vec_view<const X, EX> x,
                         C alpha, C decay, requires_arch<scalar>) {
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

// The fused kernel of the one-pass SGD step (float and double): W = decay W + (alpha a) x^T as
// rank1_update, then y = scale W x2 with the NEW W as gemv. Here: the caller's arch's own
// rank1_update, then its own gemv, so the fused step gives the bits of the separate step on every
// arch. An arch with a one-pass kernel (xsimd) must give the same bits (tested).
template <class A, class T, index_t R, index_t K, index_t EA, index_t EX, index_t EX2, index_t EY>
result<A, scalar> kernel(op::rank1_update_gemv, mat_view<T, R, K> W, vec_view<const T, EA> a, vec_view<const T, EX> x,
                         T alpha, T decay, vec_view<const T, EX2> x2, vec_view<T, EY> y, T scale, requires_arch<scalar>) {
    static_assert(is_native_v<T>, "rank1_update_gemv: float and double only");
    kernel<A>(op::rank1_update{}, W, a, x, alpha, decay, A{});
    kernel<A>(op::gemv{}, mat_view<const T, R, K>(W), x2, y, scale, A{});
}

// The same update for weights stored in a format F narrower than its arithmetic: each new value
// is computed in compute_t<F> and stored with the rounding policy (apply_update).
template <class A, class F, class Rnd, index_t R, index_t K, index_t EA, index_t EX>
result<A, scalar> kernel(op::rank1_update_stored, format_tag<F>, mat_view<storage_t<F>, R, K> W,
                         vec_view<const compute_t<F>, EA> a, vec_view<const storage_t<F>, EX> x, compute_t<F> alpha,
                         compute_t<F> decay, Rnd& rnd, requires_arch<scalar>) {
    using C = compute_t<F>;
    for (index_t i = 0; i < W.rows(); ++i) {
        storage_t<F>* w = W.row(i).data();
        const C ai = alpha * a[i];
        for (index_t j = 0; j < W.cols(); ++j) w[j] = apply_update<F>(w[j], ai * value_of<F>(x[j]), decay, rnd);
    }
}

// W_s = store(W_c): master weights in C written into the storage format, to nearest.
template <class A, class F, index_t E1, index_t E2>
result<A, scalar> kernel(op::store_all, format_tag<F>, vec_view<const compute_t<F>, E1> from,
                         vec_view<storage_t<F>, E2> to, requires_arch<scalar>) {
    for (index_t i = 0; i < to.size(); ++i) to[i] = store_as<F>(from[i]);
}

// y_i = tanh(x_i) on float: math::tanh_rational element by element.
template <class A, index_t E1, index_t E2>
result<A, scalar> kernel(op::tanh_map, vec_view<const float, E1> x, vec_view<float, E2> y, requires_arch<scalar>) {
    for (index_t i = 0; i < x.size(); ++i) y[i] = math::tanh_rational(x[i]);
}

namespace detail_scalar {
// The unsigned integer of T's size, for T = float or double (IEEE binary32, binary64).
template <class T>
using bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

// max(m, the magnitude bits of p[0:n]). For IEEE formats the magnitude order of finite values is
// the integer order of their bit patterns without the sign, and Inf and NaN lie above every
// finite pattern: one branch-free integer max gives both answers, and vectorizes.
template <class T>
TWOLAYER_INLINE bits_t<T> max_magnitude_bits(const T* p, index_t n, bits_t<T> m) {
    using U = bits_t<T>;
    constexpr U magnitude = ~(U(1) << (8 * sizeof(U) - 1));
    for (index_t i = 0; i < n; ++i) {
        U b;
        std::memcpy(&b, &p[i], sizeof b);
        b &= magnitude;
        m = b > m ? b : m;
    }
    return m;
}

// The result from the largest magnitude's bit pattern.
template <class T>
TWOLAYER_INLINE absmax_result<T> absmax_from_bits(bits_t<T> m) {
    using U = bits_t<T>;
    constexpr U exponent_all_ones = sizeof(U) == 4 ? U(0x7f800000u) : U(0x7ff0000000000000ull);
    absmax_result<T> r;
    r.finite = m < exponent_all_ones;
    if (r.finite) std::memcpy(&r.absmax, &m, sizeof m);
    return r;
}
}  // namespace detail_scalar

// Finiteness and the largest magnitude of x, float or double: the integer scan of the bit patterns.
template <class A, class T, index_t E>
TWOLAYER_INLINE result<A, scalar, absmax_result<T>> kernel(op::absmax, vec_view<const T, E> x, requires_arch<scalar>) {
    static_assert(std::is_floating_point<T>::value && (sizeof(T) == 4 || sizeof(T) == 8),
                  "absmax: IEEE binary32 or binary64");
    return detail_scalar::absmax_from_bits<T>(detail_scalar::max_magnitude_bits(x.data(), x.size(), 0));
}

// ---- the public entries (rule 4): one per operation, the caller's arch forwarded ----
// (always inlined: a call through an entry is the call of the implementation, also at -Os)

/// sum_i a_i b_i in the format's accumulator (float, double; exact int64 for 16-bit fixed point).
/// a and b have the same length. Optimized archs differ from the scalar reference by rounding
/// only (reordered, fused sums); fixed point is bit-exact on every arch.
template <class S, index_t E1, index_t E2, class Arch, is_arch<Arch> = 0>
TWOLAYER_INLINE accum_t<S> dot(vec_view<const S, E1> a, vec_view<const S, E2> b, Arch arch) {
    return kernel<Arch>(op::dot{}, a, b, arch);
}

/// y_i = scale * (W x)_i, delivered in C; x has W.cols() elements, y W.rows(); y must not
/// overlap W or x.
template <class S, class C, index_t R, index_t K, index_t EX, index_t EY, class Arch, is_arch<Arch> = 0>
TWOLAYER_INLINE void gemv(mat_view<const S, R, K> W, vec_view<const S, EX> x, vec_view<C, EY> y, C scale, Arch arch) {
    kernel<Arch>(op::gemv{}, W, x, y, scale, arch);
}

/// y_i = scale * (W x)_i + b_i, b in the storage type: bit for bit the same arch's gemv followed
/// by the addition of b (the sum scaled and rounded, then b_i added).
template <class S, class C, index_t R, index_t K, index_t EX, index_t EB, index_t EY, class Arch, is_arch<Arch> = 0>
TWOLAYER_INLINE void gemv_bias(mat_view<const S, R, K> W, vec_view<const S, EX> x, vec_view<const S, EB> b, vec_view<C, EY> y,
               C scale, Arch arch) {
    kernel<Arch>(op::gemv_bias{}, W, x, b, y, scale, arch);
}

/// W_ij = decay * W_ij + (alpha a_i) x_j, W and a in the arithmetic type C, x in any storage type
/// X. decay == 1 skips the multiply. One multiply-add per element (fused or not, by arch).
template <class C, class X, index_t R, index_t K, index_t EA, index_t EX, class Arch, is_arch<Arch> = 0>
TWOLAYER_INLINE void rank1_update(mat_view<C, R, K> W, vec_view<const C, EA> a, vec_view<const X, EX> x, C alpha, C decay,
                  Arch arch) {
    kernel<Arch>(op::rank1_update{}, W, a, x, alpha, decay, arch);
}

/// rank1_update, then y = scale W x2 with the new W (float, double): bit for bit the same arch's
/// rank1_update followed by its gemv, in one pass over W where the arch has a fused kernel.
template <class T, index_t R, index_t K, index_t EA, index_t EX, index_t EX2, index_t EY, class Arch,
          is_arch<Arch> = 0>
TWOLAYER_INLINE void rank1_update_gemv(mat_view<T, R, K> W, vec_view<const T, EA> a, vec_view<const T, EX> x, T alpha, T decay,
                       vec_view<const T, EX2> x2, vec_view<T, EY> y, T scale, Arch arch) {
    kernel<Arch>(op::rank1_update_gemv{}, W, a, x, alpha, decay, x2, y, scale, arch);
}

/// rank1_update for weights stored in format F: each new value computed in compute_t<F>
/// (format/update_rule.hpp: apply_update) and stored with the rounding policy rnd.
template <class F, class Rnd, index_t R, index_t K, index_t EA, index_t EX, class Arch, is_arch<Arch> = 0>
TWOLAYER_INLINE void rank1_update_stored(format_tag<F> f, mat_view<storage_t<F>, R, K> W, vec_view<const compute_t<F>, EA> a,
                         vec_view<const storage_t<F>, EX> x, compute_t<F> alpha, compute_t<F> decay, Rnd& rnd,
                         Arch arch) {
    kernel<Arch>(op::rank1_update_stored{}, f, W, a, x, alpha, decay, rnd, arch);
}

/// to_i = from_i rounded to nearest into format F's storage (master weights into the network).
template <class F, index_t E1, index_t E2, class Arch, is_arch<Arch> = 0>
TWOLAYER_INLINE void store_all(format_tag<F> f, vec_view<const compute_t<F>, E1> from, vec_view<storage_t<F>, E2> to, Arch arch) {
    kernel<Arch>(op::store_all{}, f, from, to, arch);
}

/// y_i = tanh(x_i) for float, bit for bit math::tanh_rational (core/tanh_float.hpp) on every
/// arch, NaN payloads and signed zeros included. y may be x.
template <index_t E1, index_t E2, class Arch, is_arch<Arch> = 0>
TWOLAYER_INLINE void tanh_map(vec_view<const float, E1> x, vec_view<float, E2> y, Arch arch) {
    kernel<Arch>(op::tanh_map{}, x, y, arch);
}

/// Whether every element of x (float or double) is finite and, if so, the largest |x_i|; the same
/// answer on every arch (an exact integer scan of the bit patterns).
template <class T, index_t E, class Arch, is_arch<Arch> = 0>
TWOLAYER_INLINE absmax_result<T> absmax(vec_view<const T, E> x, Arch arch) {
    return kernel<Arch>(op::absmax{}, x, arch);
}

}  // namespace twolayer::kernels
