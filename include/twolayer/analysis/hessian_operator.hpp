// The Hessian of a network's mean loss over a dataset as an operator on double vectors of the flat
// layout (what lanczos takes), through hessian_vector_product (analysis/hvp.hpp); its storage inside
// the object (no heap).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "twolayer/analysis/flat_layout.hpp"
#include "twolayer/analysis/hvp.hpp"
#include "twolayer/analysis/hvp_workspace.hpp"
#include "twolayer/core/storage.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/model/loss.hpp"

namespace twolayer {

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
