// The flat view of a network's parameters that the analysis headers share: the status and result
// of an analysis call, the l2 penalty, the flat layout [W | v | b | c] of the parameters (and of a
// gradient, a direction u, H u), which entries are active, and copies between a network and a flat
// vector.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "twolayer/analysis/hessian_blocks.hpp"
#include "twolayer/core/storage.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
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

namespace detail {
// A writable view of an output argument: a vec_view of any extent, or an array.
template <class T, index_t E>
vec_view<T, E> writable_view(vec_view<T, E> v) { return v; }
template <class T, std::size_t M>
vec_view<T, M> writable_view(T (&a)[M]) { return vec_view<T, M>(a); }
}  // namespace detail

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

}  // namespace twolayer
