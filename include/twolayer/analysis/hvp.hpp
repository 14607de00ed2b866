// The exact Hessian-vector product H u and the gradient of the empirical loss of a network over a
// dataset the caller holds,
//   L(theta) = (1/M) sum_mu l(yhat(x_mu; theta), y_mu),
// without forming the NP x NP Hessian: O(M N P) per product, through the kernels (gemv for the
// pre-activations and for the direction's first layer, rank1_update for the first layer's
// output), no heap, the per-sample scratch in a fixed-size workspace.
//
// The flat layout of theta (and of u, H u and the gradient), parameter_layout:
//   [ W row-major (P N) | v (P) | b (P, when the network uses hidden biases) | c (1, when it uses
//     the output bias) ].
// hessian_blocks selects the active blocks (first layer, second layer, biases). The product is
// that of the Hessian restricted to the active blocks: u's entries in inactive blocks are not
// read, and H u's entries there are set to 0 (always written).
//
// Derivation. For one sample x with label y, z_k = w_k . x / sqrt N + b_k, g_k = g(z_k),
// g'_k, g''_k the activation's derivatives at z_k, yhat = sum_k v_k g_k + c, r = l'(yhat),
// q = l''(yhat) (the loss's deriv and deriv2). The gradient is
//   dl/dw_k = r v_k g'_k x / sqrt N,  dl/dv_k = r g_k,  dl/db_k = r v_k g'_k,  dl/dc = r.
// Along a direction u = (U, a, beta, gamma) for (W, v, b, c), the pre-activations move by
//   t_k = u_k . x / sqrt N + beta_k
// and the output by its directional derivative
//   s = sum_k [a_k g_k + v_k g'_k t_k] + gamma.
// Differentiating the gradient along u (product rule: r moves by q s, g_k by g'_k t_k, g'_k by
// g''_k t_k, v_k by a_k):
//   (H u)_{w_k} = e_k x / sqrt N,   e_k = q s v_k g'_k + r (a_k g'_k + v_k g''_k t_k),
//   (H u)_{v_k} = q s g_k + r g'_k t_k,
//   (H u)_{b_k} = e_k,
//   (H u)_c     = q s,
// each averaged over the M samples. Per sample that is two P x N gemvs (W x and U x) and one
// rank-1 update of H u's first layer: 3 M N P multiply-adds, plus O(M P).
//
// Weight decay (l2_penalty, optional): the trainers' penalty 0.5 wd_w |W|^2 + 0.5 wd_v |v|^2 adds
// wd_w W, wd_v v to the gradient and wd_w U, wd_v a to H u (after the mean), and its value to the
// reported loss.
//
// Number formats: the network and the dataset in any format F; u, H u and the gradient in
// C = compute_t<F>, every sum in C. The pre-activations are the forward pass's own (the same
// kernels, the same bits); U x is a gemv in C on the sample converted to C.
//
// The pieces: analysis/flat_layout.hpp (the layout, the status, the penalty, copies to and from
// a flat vector), analysis/hvp_workspace.hpp (the scratch), analysis/hvp_pass.hpp (the shared
// pass over the samples), analysis/hessian_operator.hpp (H as an operator for Lanczos).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "twolayer/analysis/flat_layout.hpp"
#include "twolayer/analysis/hessian_blocks.hpp"
#include "twolayer/analysis/hvp_pass.hpp"
#include "twolayer/analysis/hvp_workspace.hpp"
#include "twolayer/model/dataset.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"

namespace twolayer {

namespace detail {
// flat_gradient with a penalty (the public overloads below).
template <class NR, class DR, class G, class WS, class Loss, class Arch>
analysis_result<compute_t<typename NR::format>> gradient(const NR& net, const DR& data, const G& grad, const WS& ws,
                                                         const l2_penalty<compute_t<typename NR::format>>& pen,
                                                         hessian_blocks blocks, const Loss& loss, Arch arch) {
    using F = typename NR::format;
    using C = compute_t<F>;
    using Act = typename NR::activation;
    constexpr index_t N = NR::n_extent, P = NR::p_extent;
    analysis_result<C> res;
    res.status = analysis_layout_status(net, data, ws, grad.size(), grad.size(), is_aligned(grad));
    if (!res) return res;

    const parameter_layout L = parameter_layout_of(net);
    const index_t p = net.hidden();
    const C sn = inv_sqrt<C>(net.inputs());
    const active_blocks on(L, blocks);
    const flat_views<C, N, P> gr(grad.data(), L);
    fill(grad, C(0));
    res.loss = over_samples<false>(net, data, ws, loss, arch, [&](const auto& x, C r, C) {
        for (index_t k = 0; k < p; ++k) {
            ws.e[k] = r * (value_of<F>(net.v[k]) * d1_cached<Act>(ws.z[k], ws.g[k]));
            if (on.v) gr.v[k] = gr.v[k] + r * ws.g[k];
            if (on.b) gr.b[k] = gr.b[k] + ws.e[k];
        }
        if (on.c) *gr.c = *gr.c + r;
        if (on.w) kernels::rank1_update(gr.W, as_const_view(ws.e), x, sn, C(1), arch);
    });
    divide_all(grad, data.samples());
    const index_t nw = L.w_size();
    res.loss += add_penalty(net, pen, on, gr, [&](index_t i) {
        return i < nw ? value_of<F>(net.W.data()[i]) : value_of<F>(net.v[i - nw]);
    });
    return res;
}

// hessian_vector_product with a penalty (the public overloads below).
template <class NR, class DR, class UV, class OV, class WS, class Loss, class Arch>
analysis_result<compute_t<typename NR::format>> product(const NR& net, const DR& data, const UV& u, const OV& out,
                                                        const WS& ws,
                                                        const l2_penalty<compute_t<typename NR::format>>& pen,
                                                        hessian_blocks blocks, const Loss& loss, Arch arch) {
    using F = typename NR::format;
    using C = compute_t<F>;
    using Act = typename NR::activation;
    constexpr index_t N = NR::n_extent, P = NR::p_extent;
    analysis_result<C> res;
    res.status = analysis_layout_status(net, data, ws, u.size(), out.size(), is_aligned(u) && is_aligned(out));
    if (!res) return res;

    const parameter_layout L = parameter_layout_of(net);
    const index_t n_in = net.inputs(), p = net.hidden();
    const C sn = inv_sqrt<C>(n_in);
    const active_blocks on(L, blocks);
    const flat_views<const C, N, P> ud(u.data(), L);  // (U, a, beta, gamma)
    const flat_views<C, N, P> o(out.data(), L);
    fill(out, C(0));
    res.loss = over_samples<true>(net, data, ws, loss, arch, [&](const auto& x, C r, C q) {
        // t = U x / sqrt N (+ beta): U is in C, so the sample goes to C first unless it is in C.
        if (on.w) {
            if constexpr (is_native_v<F>) {
                kernels::gemv(ud.W, x, ws.t, sn, arch);
            } else {
                for (index_t j = 0; j < n_in; ++j) ws.x[j] = value_of<F>(x[j]);
                kernels::gemv(ud.W, vec_view<const C>(ws.x.data(), n_in), ws.t, sn, arch);
            }
        } else {
            fill(ws.t, C(0));
        }
        if (on.b)
            for (index_t k = 0; k < p; ++k) ws.t[k] = ws.t[k] + ud.b[k];
        // s = sum_k [a_k g_k + v_k g'_k t_k] + gamma
        C s = on.c ? *ud.c : C(0);
        for (index_t k = 0; k < p; ++k) {
            ws.d1[k] = d1_cached<Act>(ws.z[k], ws.g[k]);
            ws.d2[k] = Act::d2(ws.z[k]);
            const C vk = value_of<F>(net.v[k]);
            if (on.v) s += ud.v[k] * ws.g[k];
            s += vk * ws.d1[k] * ws.t[k];
        }
        const C qs = q * s;
        for (index_t k = 0; k < p; ++k) {
            const C vk = value_of<F>(net.v[k]);
            const C ak = on.v ? ud.v[k] : C(0);
            ws.e[k] = qs * vk * ws.d1[k] + r * (ak * ws.d1[k] + vk * ws.d2[k] * ws.t[k]);
            if (on.v) o.v[k] = o.v[k] + (qs * ws.g[k] + r * ws.d1[k] * ws.t[k]);
            if (on.b) o.b[k] = o.b[k] + ws.e[k];
        }
        if (on.c) *o.c = *o.c + qs;
        if (on.w) kernels::rank1_update(o.W, as_const_view(ws.e), x, sn, C(1), arch);
    });
    divide_all(out, data.samples());
    res.loss += add_penalty(net, pen, on, o, [&](index_t i) { return u[i]; });
    return res;
}
}  // namespace detail

// The flat gradient of the mean loss over data, (1/M) sum_mu l'(yhat_mu) d yhat_mu / d theta, in
// the layout of parameter_layout_of(net); entries of inactive blocks are 0. net: a network or a
// network_ref (read only: its forward cache is not touched); data: a dataset or a dataset_ref of
// the network's storage type; grad: a vec_view or an array of flat_size(net) values of
// C = compute_t of the network's format; ws: an hvp_workspace or an hvp_workspace_ref. Returns the
// status and the mean loss; nothing is written unless the status is ok.
// pen (optional, l2_penalty): the loss is the penalized L + 0.5 pen.w |W|^2 + 0.5 pen.v |v|^2
// (the trainers' weight decay): pen.w W and pen.v v are added to the active W and v entries, and
// the returned loss includes the whole penalty.
template <class Net, class D, class Out, class WS, class PC, class Loss = squared_loss,
          class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_dataset_v<D> && is_vector_like_v<Out>, int> = 0>
analysis_result<compute_t<format_of_t<Net>>> flat_gradient(const Net& n, const D& d, Out&& grad, WS&& ws,
                                                           const l2_penalty<PC>& pen, hessian_blocks blocks = {},
                                                           const Loss& loss = {}, Arch arch = {}) {
    const auto& net = read_ref(n);
    using NR = std::decay_t<decltype(net)>;
    static_assert(detail::check_types<NR, D, WS, Out>());
    static_assert(std::is_same<PC, compute_t<typename NR::format>>::value,
                  "flat_gradient: the penalty is not in the network's compute type");
    return detail::gradient(net, to_ref(d), detail::writable_view(grad), to_ref(ws), pen, blocks, loss, arch);
}

// flat_gradient of the plain loss (no penalty).
template <class Net, class D, class Out, class WS, class Loss = squared_loss, class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_dataset_v<D> && is_vector_like_v<Out>, int> = 0>
analysis_result<compute_t<format_of_t<Net>>> flat_gradient(const Net& n, const D& d, Out&& grad, WS&& ws,
                                                           hessian_blocks blocks = {}, const Loss& loss = {},
                                                           Arch arch = {}) {
    return flat_gradient(n, d, grad, ws, l2_penalty<compute_t<format_of_t<Net>>>{}, blocks, loss, arch);
}

// out = H u, the Hessian of the mean loss over data restricted to the active blocks, times u (see
// the derivation at the top): entries of u in inactive blocks are not read, entries of out there
// are set to 0. net: a network or a network_ref (read only: its forward cache is not touched);
// data: a dataset or a dataset_ref of the network's storage type; u, out: vec_views or arrays of
// flat_size(net) values of C = compute_t of the network's format, not overlapping; ws: an
// hvp_workspace or an hvp_workspace_ref. Returns the status and the mean loss; out is written
// only when the status is ok. Loss needs deriv2 (model/loss.hpp), the activation d2.
// pen (optional, l2_penalty): the penalized loss; pen.w U and pen.v a are added to the active W
// and v entries of out (the penalty's Hessian is diag(pen.w I, pen.v I, 0)), and the returned loss
// includes the whole penalty.
template <class Net, class D, class U, class Out, class WS, class PC, class Loss = squared_loss,
          class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_dataset_v<D> && is_vector_like_v<U> && is_vector_like_v<Out>,
                           int> = 0>
analysis_result<compute_t<format_of_t<Net>>> hessian_vector_product(const Net& n, const D& d, const U& u, Out&& out,
                                                                    WS&& ws, const l2_penalty<PC>& pen,
                                                                    hessian_blocks blocks = {}, const Loss& loss = {},
                                                                    Arch arch = {}) {
    const auto& net = read_ref(n);
    using NR = std::decay_t<decltype(net)>;
    static_assert(detail::check_types<NR, D, WS, Out, U>());
    static_assert(std::is_same<PC, compute_t<typename NR::format>>::value,
                  "hessian_vector_product: the penalty is not in the network's compute type");
    return detail::product(net, to_ref(d), as_const_view(u), detail::writable_view(out), to_ref(ws), pen, blocks,
                           loss, arch);
}

// hessian_vector_product of the plain loss (no penalty).
template <class Net, class D, class U, class Out, class WS, class Loss = squared_loss,
          class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_dataset_v<D> && is_vector_like_v<U> && is_vector_like_v<Out>,
                           int> = 0>
analysis_result<compute_t<format_of_t<Net>>> hessian_vector_product(const Net& n, const D& d, const U& u, Out&& out,
                                                                    WS&& ws, hessian_blocks blocks = {},
                                                                    const Loss& loss = {}, Arch arch = {}) {
    return hessian_vector_product(n, d, u, out, ws, l2_penalty<compute_t<format_of_t<Net>>>{}, blocks, loss, arch);
}

}  // namespace twolayer
