// The parts of analysis/hvp.hpp that the flat gradient and the Hessian-vector product share: the
// checks every entry makes, the forward pass into the workspace, the views of a flat vector's
// blocks, and the one pass over the samples that both run (detail, not a public API).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "twolayer/analysis/flat_layout.hpp"
#include "twolayer/analysis/hvp_workspace.hpp"
#include "twolayer/core/storage.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/kernels/scalar.hpp"
#include "twolayer/model/activation.hpp"
#include "twolayer/model/dataset.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"

namespace twolayer {

namespace detail {
// The R x K matrix view at p, with the run-time sizes given for the dynamic extents.
template <class T, index_t R, index_t K>
mat_view<T, R, K> mat_at(T* p, index_t rows, index_t cols) {
    if constexpr (R == dynamic_extent && K == dynamic_extent) {
        return mat_view<T, R, K>(p, rows, cols);
    } else if constexpr (R == dynamic_extent) {
        (void)cols;
        return mat_view<T, R, K>(p, rows);
    } else if constexpr (K == dynamic_extent) {
        (void)rows;
        return mat_view<T, R, K>(p, cols);
    } else {
        (void)rows;
        (void)cols;
        return mat_view<T, R, K>(p);
    }
}

// The checks every analysis entry makes before it reads a value, in the trainers' order: an empty
// dataset, the sizes, the alignment.
template <class NR, class DR, class WS>
analysis_status analysis_layout_status(const NR& net, const DR& data, const WS& ws, index_t flat_in,
                                       index_t flat_out, bool flat_aligned) {
    using F = typename NR::format;
    if (data.samples() == 0) return analysis_status::empty_dataset;
    const index_t n = net.inputs(), p = net.hidden();
    if (!net.sizes_agree() || !data.sizes_agree() || data.inputs() != n) return analysis_status::size_mismatch;
    const index_t size = parameter_layout{n, p, net.head->hidden_bias_on(), net.head->output_bias_on()}.size();
    if (flat_in != size || flat_out != size || !ws.sizes_agree(n, p, !is_native_v<F>))
        return analysis_status::size_mismatch;
    if (!net.aligned() || !data.aligned() || !flat_aligned || !ws.aligned()) return analysis_status::misaligned_buffer;
    return analysis_status::ok;
}

// The forward pass of sample x into the workspace (z, g): the kernels and the order of forward(),
// so the same bits, without touching the network's cache. Returns yhat.
template <class NR, class WS, index_t EX, class Arch>
compute_t<typename NR::format> forward_into(const NR& net, vec_view<const storage_t<typename NR::format>, EX> x,
                                            const WS& ws, Arch arch) {
    using F = typename NR::format;
    using S = storage_t<F>;
    using C = compute_t<F>;
    using Act = typename NR::activation;
    constexpr index_t N = NR::n_extent, P = NR::p_extent;
    const mat_view<const S, P, N> W(net.W);
    const C sn = inv_sqrt<C>(net.inputs());
    if (net.head->hidden_bias_on()) {
        kernels::gemv_bias(W, x, vec_view<const S, P>(net.b), ws.z, sn, arch);
    } else {
        kernels::gemv(W, x, ws.z, sn, arch);
    }
    activate(Act{}, as_const_view(ws.z), ws.g, arch);
    C y(net.head->output_bias_on() ? value_of<F>(net.head->output_bias) : C(0));
    for (index_t k = 0; k < net.hidden(); ++k) y += value_of<F>(net.v[k]) * ws.g[k];
    return y;
}

// The blocks of a flat vector at p in layout L as views (c points past the end when the layout
// has no output bias, and is then never read).
template <class T, index_t N, index_t P>
struct flat_views {
    mat_view<T, P, N> W;
    vec_view<T, P> v, b;
    T* c;
    flat_views(T* p, const parameter_layout& L)
        : W(mat_at<T, P, N>(p, L.hidden, L.inputs)), v(view_at<T, P>(p + L.v_offset(), L.hidden)),
          b(view_at<T, P>(p + L.b_offset(), L.hidden)), c(p + L.c_offset()) {}
};

// Which blocks a call works on: the caller's choice, biases only where the layout has them.
struct active_blocks {
    bool w, v, b, c;
    active_blocks(const parameter_layout& L, hessian_blocks a)
        : w(a.first_layer), v(a.second_layer), b(a.biases && L.hidden_bias), c(a.biases && L.output_bias) {}
};

// out /= m, entry by entry.
template <class C, index_t E>
void divide_all(vec_view<C, E> out, index_t m) {
    const C cm = C(m);
    for (index_t i = 0; i < out.size(); ++i) out[i] = out[i] / cm;
}

// The types every entry needs (one static_assert per mismatch): the flat vectors (Out, and U when
// given) and the workspace in the network's compute type, the dataset of its storage type.
template <class NR, class D, class WS, class Out, class U = Out>
constexpr bool check_types() {
    using F = typename NR::format;
    using C = compute_t<F>;
    static_assert(std::is_same<element_of_t<U>, C>::value && std::is_same<element_of_t<Out>, C>::value,
                  "flat_gradient, hessian_vector_product: the flat vectors are not in the network's compute type");
    static_assert(std::is_same<typename std::decay_t<decltype(to_ref(std::declval<WS&>()))>::compute_type, C>::value,
                  "flat_gradient, hessian_vector_product: the workspace is not in the network's compute type");
    static_assert(std::is_same<typename std::decay_t<decltype(to_ref(std::declval<const D&>()))>::value_type,
                               storage_t<F>>::value,
                  "flat_gradient, hessian_vector_product: the dataset is not of the network's storage type");
    return true;
}

// The pass over the samples that the gradient and the product share: per sample, the forward pass
// into the workspace, the loss, r = l'(yhat) and (Curvature) q = l''(yhat), then body(x, r, q).
// Returns the mean loss (without a penalty).
template <bool Curvature, class NR, class DR, class WS, class Loss, class Arch, class Body>
compute_t<typename NR::format> over_samples(const NR& net, const DR& data, const WS& ws, const Loss& loss, Arch arch,
                                            Body&& body) {
    using F = typename NR::format;
    using C = compute_t<F>;
    C loss_sum(0);
    for (index_t mu = 0; mu < data.samples(); ++mu) {
        const auto x = data.sample(mu);
        const C y = value_of<F>(data.y[mu]);
        const C yhat = forward_into(net, x, ws, arch);
        loss_sum += loss.value(yhat, y);
        const C r = loss.deriv(yhat, y);
        C q(0);
        if constexpr (Curvature) q = loss.deriv2(yhat, y);
        body(x, r, q);
    }
    return C(loss_sum / C(data.samples()));
}

// The penalty's part, after the mean: out_W += pen.w * X_W and out_v += pen.v * X_v on the active
// blocks (X: the parameters for the gradient, the direction u for the product; both read through
// value(i) in C). Returns the penalty's value 0.5 w |W|^2 + 0.5 v |v|^2 (the whole of it) at the
// network's parameters. Nothing is added when the penalty is zero (the bits of the plain loss).
template <class NR, class C, index_t N, index_t P, class Value>
C add_penalty(const NR& net, const l2_penalty<C>& pen, const active_blocks& on, const flat_views<C, N, P>& o,
              Value value) {
    using F = typename NR::format;
    if (!pen.any()) return C(0);
    const index_t nw = net.inputs() * net.hidden();
    C sw(0), sv(0);
    for (index_t i = 0; i < nw; ++i) {
        const C w = value_of<F>(net.W.data()[i]);
        sw += w * w;
        if (on.w && pen.w != C(0)) o.W.data()[i] = o.W.data()[i] + pen.w * value(i);
    }
    for (index_t k = 0; k < net.hidden(); ++k) {
        const C v = value_of<F>(net.v[k]);
        sv += v * v;
        if (on.v && pen.v != C(0)) o.v[k] = o.v[k] + pen.v * value(nw + k);
    }
    return C(C(0.5) * (pen.w * sw + pen.v * sv));
}
}  // namespace detail

}  // namespace twolayer
