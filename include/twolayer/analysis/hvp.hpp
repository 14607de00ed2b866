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
#pragma once
#include <cstdint>
#include <limits>
#include <type_traits>

#include "twolayer/analysis/hessian_blocks.hpp"
#include "twolayer/core/storage.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/kernels/scalar.hpp"
#include "twolayer/model/activation.hpp"
#include "twolayer/model/dataset.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"

namespace twolayer {

// Why an analysis call did nothing (ok: it did its work).
//   empty_dataset: the dataset has no sample.
//   size_mismatch: the network's views disagree (network_ref::sizes_agree), the dataset's inputs
//     are not the network's or its labels not one per sample, a flat vector's size is not the
//     layout's, or the workspace's sizes are not the network's.
//   misaligned_buffer: a buffer is not aligned for its element type.
enum class analysis_status : std::uint8_t { ok, empty_dataset, size_mismatch, misaligned_buffer };

// The status of an analysis call and the mean loss over the dataset (computed on the way).
template <class C>
struct analysis_result {
    analysis_status status = analysis_status::ok;
    C loss = C(0);
    bool ok() const { return status == analysis_status::ok; }
    explicit operator bool() const { return ok(); }
};

// The l2 penalty the trainers add to the loss (train/config.hpp, train_config::weight_decay_w
// and weight_decay_v): 0.5 w |W|^2 + 0.5 v |v|^2, biases never decayed. Given to flat_gradient,
// hessian_vector_product or hessian_operator, it adds w W and v v to the gradient's blocks, w U
// and v a to H u's (the penalty's Hessian is diag(w I, v I)), and the penalty itself to the
// reported loss (the whole penalty, whatever the blocks: it is the objective's value). The zero
// default is the plain data loss.
template <class C>
struct l2_penalty {
    C w = C(0);  // on W
    C v = C(0);  // on v
    bool any() const { return w != C(0) || v != C(0); }
};

// The flat layout of a network's parameters: [W row-major | v | b if used | c if used].
struct parameter_layout {
    index_t inputs = 0;        // N
    index_t hidden = 0;        // P
    bool hidden_bias = false;  // b in the layout
    bool output_bias = false;  // c in the layout

    constexpr index_t w_offset() const { return 0; }
    constexpr index_t w_size() const { return inputs * hidden; }
    constexpr index_t v_offset() const { return w_size(); }
    constexpr index_t b_offset() const { return v_offset() + hidden; }
    constexpr index_t c_offset() const { return b_offset() + (hidden_bias ? hidden : 0); }
    // The number of flat entries.
    constexpr index_t size() const { return c_offset() + (output_bias ? 1 : 0); }
    // The number of entries in the active blocks (the dimension of the restricted Hessian).
    constexpr index_t active_size(hessian_blocks a) const {
        return (a.first_layer ? w_size() : 0) + (a.second_layer ? hidden : 0) + (a.biases ? size() - b_offset() : 0);
    }
    // Whether flat entry i lies in an active block.
    constexpr bool active(index_t i, hessian_blocks a) const {
        if (i < v_offset()) return a.first_layer;
        if (i < b_offset()) return a.second_layer;
        return a.biases;
    }
};

// The most flat entries a network<F, N, P, ...> can have (both biases used): its
// parameter_count(), the size of fixed storage for a flat vector.
template <index_t N, index_t P>
inline constexpr index_t max_flat_size = P * N + 2 * P + 1;

// The flat layout of net (a network or a network_ref): its sizes and which biases it uses.
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
parameter_layout parameter_layout_of(const Net& n) {
    const auto& net = read_ref(n);
    return {net.inputs(), net.hidden(), net.head->hidden_bias_on(), net.head->output_bias_on()};
}

// The size of net's flat layout (P N + P, plus P with hidden biases, plus 1 with the output bias).
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
index_t flat_size(const Net& net) {
    return parameter_layout_of(net).size();
}

// Sets the entries of flat in inactive blocks to 0 (e.g. a Lanczos start vector, so that the
// Krylov space stays in the active blocks). flat: layout.size() values of any type.
template <class T, index_t E>
void zero_inactive(const parameter_layout& layout, hessian_blocks blocks, vec_view<T, E> flat) {
    for (index_t i = 0; i < flat.size() && i < layout.size(); ++i)
        if (!layout.active(i, blocks)) flat[i] = T(0);
}

// The scratch of one product, P values six times and N once, in the compute type C, as views
// (static or run-time extents). x holds the sample converted to C when the storage type is not
// C; for float and double it is unused and may be empty.
template <class C, index_t N, index_t P>
struct hvp_workspace_ref {
    using compute_type = C;
    vec_view<C, P> z;   // pre-activations
    vec_view<C, P> g;   // g(z)
    vec_view<C, P> d1;  // g'(z)
    vec_view<C, P> d2;  // g''(z)
    vec_view<C, P> t;   // the direction's pre-activations, u_k . x / sqrt N + beta_k
    vec_view<C, P> e;   // the first layer's per-unit coefficient
    vec_view<C> x;      // the sample in C (storage other than C)

    hvp_workspace_ref() = default;
    hvp_workspace_ref(vec_view<C, P> z_, vec_view<C, P> g_, vec_view<C, P> d1_, vec_view<C, P> d2_,
                      vec_view<C, P> t_, vec_view<C, P> e_, vec_view<C> x_)
        : z(z_), g(g_), d1(d1_), d2(d2_), t(t_), e(e_), x(x_) {}
    // A static reference converts to a dynamic one.
    template <index_t N2, index_t P2>
    hvp_workspace_ref(const hvp_workspace_ref<C, N2, P2>& o)
        : z(o.z), g(o.g), d1(o.d1), d2(o.d2), t(o.t), e(o.e), x(o.x) {}

    // The sizes suit a network with n inputs and p hidden units (x needed: storage is not C).
    bool sizes_agree(index_t n, index_t p, bool x_needed) const {
        return z.size() == p && g.size() == p && d1.size() == p && d2.size() == p && t.size() == p &&
               e.size() == p && (!x_needed || x.size() == n);
    }
    bool aligned() const {
        return is_aligned(z) && is_aligned(g) && is_aligned(d1) && is_aligned(d2) && is_aligned(t) &&
               is_aligned(e) && is_aligned(x);
    }
};

// The scratch of a product for a network<F, N, P, ...>, inside the object (7 P + N values of
// compute_t<F>; 6 P + 1 for float and double).
template <class F, index_t N, index_t P>
struct hvp_workspace {
    using C = compute_t<F>;
    static constexpr index_t x_size = is_native_v<F> ? 1 : N;
    vec<C, P> z, g, d1, d2, t, e;
    vec<C, x_size> x;
    // The scratch as views (what to_ref gives).
    hvp_workspace_ref<C, N, P> ref() {
        return {z.view(), g.view(), d1.view(), d2.view(), t.view(), e.view(), vec_view<C>(x.data, x_size)};
    }
};

template <class F, index_t N, index_t P>
hvp_workspace_ref<compute_t<F>, N, P> to_ref(hvp_workspace<F, N, P>& w) { return w.ref(); }
template <class C, index_t N, index_t P>
const hvp_workspace_ref<C, N, P>& to_ref(const hvp_workspace_ref<C, N, P>& w) { return w; }

namespace detail {
// A writable view of an output argument: a vec_view of any extent, or an array.
template <class T, index_t E>
vec_view<T, E> writable_view(vec_view<T, E> v) { return v; }
template <class T, std::size_t M>
vec_view<T, M> writable_view(T (&a)[M]) { return vec_view<T, M>(a); }

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

// Copies net's parameters into flat (the layout of parameter_layout_of(net)), converted to T
// (float or double). Returns size_mismatch, writing nothing, when flat has another size.
template <class Net, class Out, std::enable_if_t<is_network_v<Net> && is_vector_like_v<Out>, int> = 0>
analysis_status read_parameters(const Net& n, Out&& flat_) {
    const auto& net = read_ref(n);
    using F = typename std::decay_t<decltype(net)>::format;
    using T = element_of_t<Out>;
    const auto flat = detail::writable_view(flat_);
    const parameter_layout L = parameter_layout_of(net);
    if (!net.sizes_agree() || flat.size() != L.size()) return analysis_status::size_mismatch;
    auto val = [](storage_t<F> s) { return T(format_traits<F>::to_double(s)); };
    for (index_t i = 0; i < L.w_size(); ++i) flat[i] = val(net.W.data()[i]);
    for (index_t k = 0; k < L.hidden; ++k) {
        flat[L.v_offset() + k] = val(net.v[k]);
        if (L.hidden_bias) flat[L.b_offset() + k] = val(net.b[k]);
    }
    if (L.output_bias) flat[L.c_offset()] = val(net.head->output_bias);
    return analysis_status::ok;
}

// Stores flat (T = float or double, the layout of parameter_layout_of(net)) into net's parameters,
// each value rounded once to nearest into the storage type (fixed point saturates), and calls
// weights_changed(). Returns size_mismatch, writing nothing, when flat has another size.
template <class Net, class In, std::enable_if_t<is_network_v<Net> && is_vector_like_v<In>, int> = 0>
analysis_status write_parameters(Net&& n, const In& flat_) {
    const auto& net = to_ref(n);
    using F = format_of_t<Net>;
    using T = element_of_t<In>;
    const auto flat = as_const_view(flat_);
    const parameter_layout L = parameter_layout_of(net);
    if (!net.sizes_agree() || flat.size() != L.size()) return analysis_status::size_mismatch;
    auto st = [](T t) { return format_traits<F>::template from<T>(t); };
    for (index_t i = 0; i < L.w_size(); ++i) net.W.data()[i] = st(flat[i]);
    for (index_t k = 0; k < L.hidden; ++k) {
        net.v[k] = st(flat[L.v_offset() + k]);
        if (L.hidden_bias) net.b[k] = st(flat[L.b_offset() + k]);
    }
    if (L.output_bias) net.head->output_bias = st(flat[L.c_offset()]);
    net.weights_changed();
    return analysis_status::ok;
}

// The storage of a Hessian operator for a network<F, N, P, ...>: the product's workspace and, when
// the compute type is not double, the buffers converting to and from it (inside the object, no
// heap; a firmware may keep it in a static, e.g. inside a sharpness_workspace).
template <class F, index_t N, index_t P>
struct hessian_operator_storage {
    using C = compute_t<F>;
    static constexpr bool direct = std::is_same<C, double>::value;
    static constexpr index_t buffer_size = direct ? 1 : max_flat_size<N, P>;
    hvp_workspace<F, N, P> ws{};
    vec<C, buffer_size> in{}, out{};
};

namespace detail {
// out = H in on double vectors through hessian_vector_product with the storage st, converting to
// and from the compute type when it is not double. On a failed check (sizes, alignment) out is
// filled with NaN where it can be. Returns the product's status.
template <class NR, class DR, class Store, class Loss, class Arch>
analysis_status apply_hessian(const NR& net, const DR& data, vec_view<const double> in, vec_view<double> out,
                              Store& st, const l2_penalty<compute_t<typename NR::format>>& pen, hessian_blocks blocks,
                              const Loss& loss, Arch arch) {
    using C = compute_t<typename NR::format>;
    analysis_result<C> r;
    if constexpr (Store::direct) {
        r = hessian_vector_product(net, data, in, out, st.ws, pen, blocks, loss, arch);
    } else {
        const index_t n = parameter_layout_of(net).size();
        if (in.size() != n || out.size() != n) {
            r.status = analysis_status::size_mismatch;
        } else {
            for (index_t i = 0; i < n; ++i) st.in[i] = C(in[i]);
            r = hessian_vector_product(net, data, vec_view<const C>(st.in.data, n), vec_view<C>(st.out.data, n), st.ws,
                                       pen, blocks, loss, arch);
            if (r)
                for (index_t i = 0; i < n; ++i) out[i] = double(st.out[i]);
        }
    }
    if (!r) fill(out, std::numeric_limits<double>::quiet_NaN());
    return r.status;
}
}  // namespace detail

// The Hessian of a network's mean loss over a dataset (optionally penalized, l2_penalty) as an
// operator on double vectors of the flat layout (what lanczos takes): operator()(in, out) sets
// out = H in through hessian_vector_product, converting to and from the compute type when it is
// not double. NR and DR are a network_ref and a dataset_ref with static sizes
// (make_hessian_operator builds one); the operator keeps views, so the network and the dataset
// must outlive it. The workspace and the conversion buffers live in the object (no heap).
template <class NR, class DR, class Loss = squared_loss, class Arch = arch::default_arch>
class hessian_operator {
    using F = typename NR::format;
    using C = compute_t<F>;
    static constexpr index_t N = NR::n_extent, P = NR::p_extent;
    static_assert(N != dynamic_extent && P != dynamic_extent,
                  "hessian_operator: the network's sizes must be static (with run-time sizes, call "
                  "hessian_vector_product from your own operator)");

public:
    // The plain loss's Hessian over blocks.
    hessian_operator(const NR& net, const DR& data, hessian_blocks blocks = {}, const Loss& loss = {}, Arch arch = {})
        : hessian_operator(net, data, l2_penalty<C>{}, blocks, loss, arch) {}
    // The penalized loss's Hessian (H + diag(pen.w I, pen.v I, 0) on the active blocks).
    hessian_operator(const NR& net, const DR& data, const l2_penalty<C>& pen, hessian_blocks blocks = {},
                     const Loss& loss = {}, Arch arch = {})
        : net_(net), data_(data), loss_(loss), pen_(pen), blocks_(blocks), arch_(arch),
          layout_(parameter_layout_of(net)) {}

    // The flat layout's size (what lanczos runs on).
    index_t dimension() const { return layout_.size(); }
    const parameter_layout& layout() const { return layout_; }
    hessian_blocks blocks() const { return blocks_; }
    const l2_penalty<C>& penalty() const { return pen_; }
    // The status of the last product (ok before the first).
    analysis_status status() const { return status_; }
    // The number of products computed.
    std::uint64_t products() const { return products_; }
    // Sets the entries of inactive blocks of v to 0 (for a start vector).
    template <index_t E>
    void zero_inactive(vec_view<double, E> v) const { twolayer::zero_inactive(layout_, blocks_, v); }

    // out = H in; on a failed check (sizes, alignment; status()) out is filled with NaN where it
    // can be.
    void operator()(vec_view<const double> in, vec_view<double> out) {
        ++products_;
        status_ = detail::apply_hessian(net_, data_, in, out, st_, pen_, blocks_, loss_, arch_);
    }

private:
    NR net_;
    DR data_;
    Loss loss_;
    l2_penalty<C> pen_;
    hessian_blocks blocks_;
    Arch arch_;
    parameter_layout layout_;
    analysis_status status_ = analysis_status::ok;
    std::uint64_t products_ = 0;
    hessian_operator_storage<F, N, P> st_{};
};

// The Hessian operator of net (a network or a network_ref, static sizes) over data (a dataset or a
// dataset_ref) of the penalized loss (pen: l2_penalty in the network's compute type), restricted to
// blocks, with loss and arch.
template <class Net, class D, class PC, class Loss = squared_loss, class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_dataset_v<D>, int> = 0>
auto make_hessian_operator(const Net& net, const D& data, const l2_penalty<PC>& pen, hessian_blocks blocks = {},
                           const Loss& loss = {}, Arch arch = {}) {
    using NR = std::decay_t<decltype(read_ref(net))>;
    using DR = std::decay_t<decltype(to_ref(data))>;
    static_assert(std::is_same<PC, compute_t<typename NR::format>>::value,
                  "make_hessian_operator: the penalty is not in the network's compute type");
    return hessian_operator<NR, DR, Loss, Arch>(read_ref(net), to_ref(data), pen, blocks, loss, arch);
}

// make_hessian_operator of the plain loss (no penalty).
template <class Net, class D, class Loss = squared_loss, class Arch = arch::default_arch,
          std::enable_if_t<is_network_v<Net> && is_dataset_v<D>, int> = 0>
auto make_hessian_operator(const Net& net, const D& data, hessian_blocks blocks = {}, const Loss& loss = {},
                           Arch arch = {}) {
    return make_hessian_operator(net, data, l2_penalty<compute_t<format_of_t<Net>>>{}, blocks, loss, arch);
}

}  // namespace twolayer
