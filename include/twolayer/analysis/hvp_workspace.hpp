// The scratch of one Hessian-vector product or flat gradient (analysis/hvp.hpp): as views
// (hvp_workspace_ref, static or run-time sizes) and inside an object (hvp_workspace, no heap).
#pragma once

#include "twolayer/core/storage.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"

namespace twolayer {

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

}  // namespace twolayer
