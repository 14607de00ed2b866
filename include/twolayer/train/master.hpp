// A master copy of the trainable parameters in the compute type, for training a network kept
// in a narrow format: the trainer applies every update to the master copy and then stores the
// master values, rounded to nearest, into the network, so updates too small to change a bf16 or
// Q3.12 weight still accumulate. The network's forward pass and gradients use the stored (narrow)
// weights, as they would on the device; the master costs one C per parameter.
// A trainer takes it per call, as the master_weights object or a master_ref:
//     sgd.step(net, master, x, y);   gd.full_batch(net, master, data);
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

// A master copy as views (static or run-time extents): W, v, b and c in C, and the bound on
// max |W| of the master's W (as network_head::w_absmax_bound(); negative: unknown). Code that
// writes W through a master_ref calls weights_changed() afterwards, as with a network_ref.
// Buffers aligned for C (trainers refuse others: step_status::misaligned_buffer).
template <class C, index_t N, index_t P>
struct master_ref {
    using compute_type = C;
    mat_view<C, P, N> W;
    vec_view<C, P> v;
    vec_view<C, P> b;
    C* c = nullptr;
    C* w_absmax_bound = nullptr;

    master_ref() = default;
    master_ref(mat_view<C, P, N> W_, vec_view<C, P> v_, vec_view<C, P> b_, C* c_, C* bound_)
        : W(W_), v(v_), b(b_), c(c_), w_absmax_bound(bound_) {}
    // A static reference converts to a dynamic one.
    template <index_t N2, index_t P2>
    master_ref(const master_ref<C, N2, P2>& o) : W(o.W), v(o.v), b(o.b), c(o.c), w_absmax_bound(o.w_absmax_bound) {}

    // W was written through this reference: the bound on |W| becomes unknown (the next step
    // scans W once).
    void weights_changed() const { *w_absmax_bound = C(-1); }
    // The master fits net (a network_ref): W has net's rows and columns, v and b net's P
    // values, c and the bound exist. Trainers refuse a master that does not
    // (step_status::size_mismatch).
    template <class Ref>
    bool sizes_agree(const Ref& net) const {
        return W.rows() == net.hidden() && W.cols() == net.inputs() && v.size() == net.hidden() &&
               b.size() == net.hidden() && c != nullptr && w_absmax_bound != nullptr;
    }
    // Every buffer aligned for C (core/view.hpp, is_aligned).
    bool aligned() const {
        return is_aligned(W) && is_aligned(v) && is_aligned(b) && is_aligned(vec_view<C>(c, 1)) &&
               is_aligned(vec_view<C>(w_absmax_bound, 1));
    }
};

template <class F, index_t N, index_t P>
class master_weights;
namespace detail {
// The trainers' access to a master: master_weights' views without forgetting the bound (the
// trainer keeps it valid), a master_ref as it is.
struct master_access {
    template <class F, index_t N, index_t P>
    static master_ref<compute_t<F>, N, P> views(master_weights<F, N, P>& m) { return m.views(); }
    template <class C, index_t N, index_t P>
    static master_ref<C, N, P> views(const master_ref<C, N, P>& m) { return m; }
};
}  // namespace detail

// The master copy of a network<F, N, P, ...>, inside the object. Load it from the network after
// initializing the network, and again after changing the network other than through a trainer
// with this master.
template <class F, index_t N, index_t P>
class master_weights {
    using C = compute_t<F>;

public:
    master_weights() = default;
    // A copy of net's parameters (a network or a network_ref of format F).
    template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
    explicit master_weights(const Net& net) { load(net); }

    // Copies the network's current parameters (call after initializing or changing it); the
    // bound on |W| becomes unknown.
    template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
    void load(const Net& n) {
        static_assert(std::is_same<format_of_t<Net>, F>::value,
                      "master_weights<F>: the network's number format is not F");
        const auto& net = read_ref(n);
        for (index_t i = 0; i < P * N; ++i) W_.data[i] = value_of<F>(net.W.data()[i]);
        for (index_t k = 0; k < P; ++k) {
            v_[k] = value_of<F>(net.v[k]);
            b_[k] = value_of<F>(net.b[k]);
        }
        c_ = value_of<F>(net.head->output_bias);
        bound_ = C(-1);
    }

    // The master as views (what to_ref gives). The caller may write through them, so the bound
    // on |W| becomes unknown here (the next step scans W once); writes through a master_ref kept
    // across steps are announced with its weights_changed(). Trainers take the views without
    // this (detail::master_access), so a step does not pay the scan.
    master_ref<C, N, P> ref() {
        bound_ = C(-1);
        return views();
    }
    // Read access.
    mat_view<const C, P, N> W() const { return W_.view(); }
    vec_view<const C, P> v() const { return v_.view(); }
    // The bound on max |W| of the master's W the last checked write recorded (negative: unknown).
    C w_absmax_bound() const { return bound_; }

private:
    friend struct detail::master_access;
    master_ref<C, N, P> views() { return {W_.view(), v_.view(), b_.view(), &c_, &bound_}; }

    mat<C, P, N> W_{};
    vec<C, P> v_{};
    vec<C, P> b_{};
    C c_ = C(0);
    C bound_ = C(-1);
};

// Trainers take a master_weights or a master_ref: to_ref gives the reference of either.
template <class F, index_t N, index_t P>
master_ref<compute_t<F>, N, P> to_ref(master_weights<F, N, P>& m) { return m.ref(); }
template <class C, index_t N, index_t P>
const master_ref<C, N, P>& to_ref(const master_ref<C, N, P>& m) { return m; }

namespace detail {
template <class M>
struct master_like : std::false_type {};
template <class F, index_t N, index_t P>
struct master_like<master_weights<F, N, P>> : std::true_type {};
template <class C, index_t N, index_t P>
struct master_like<master_ref<C, N, P>> : std::true_type {};
}  // namespace detail

// M is a master_weights or a master_ref.
template <class M>
inline constexpr bool is_master_v = detail::master_like<std::remove_cv_t<std::remove_reference_t<M>>>::value;

}  // namespace twolayer
