// The dispatch machinery of the rule stated in arch/tags.hpp: the operation names, the return
// type of an implementation, and kernel_choice, which names the tag whose implementation a call
// selects. Numbers and tags only: no kernel is defined here.
#pragma once
#include <type_traits>
#include <utility>

#include "twolayer/arch/tags.hpp"

namespace twolayer::kernels {

/// One empty type per operation: the first argument of every implementation (kernel(op::gemv{},
/// ...)), so that all of them form one overload set per operation and kernel_choice can name any.
namespace op {
struct dot {};                  ///< sum_i a_i b_i in the format's accumulator
struct gemv {};                 ///< y = scale W x
struct gemv_bias {};            ///< y = scale W x + b
struct rank1_update {};         ///< W = decay W + (alpha a) x^T
struct rank1_update_gemv {};    ///< the update, then y = scale W x2 with the updated W
struct rank1_update_stored {};  ///< the update for weights stored in a narrower format
struct store_all {};            ///< master weights rounded into the storage format
struct tanh_map {};             ///< y_i = tanh(x_i), float
struct absmax {};               ///< finiteness and the largest magnitude of a float or double vector
}  // namespace op

/// Enables a public entry for arch tags only (every tag derives from scalar).
template <class Arch>
using is_arch = std::enable_if_t<std::is_base_of<scalar, Arch>::value, int>;

/// The arch a kernel_choice query passes as the caller's arch A: it derives from Arch, so every
/// requires_arch<B> binds to it exactly as to Arch and overload resolution picks the same
/// implementation; result<> then reports that implementation's tag instead of its value.
template <class Arch>
struct probe : Arch {};

/// What an implementation returns under a probe: the tag it is written for.
template <class Tag>
struct chosen {
    using tag = Tag;
};

namespace detail_dispatch {
template <class A, class Tag, class R>
struct result {
    using type = R;
};
template <class Arch, class Tag, class R>
struct result<probe<Arch>, Tag, R> {
    using type = chosen<Tag>;
};
}  // namespace detail_dispatch

/// The return type of an implementation written for Tag, called with caller arch A: R (the
/// operation's result), or chosen<Tag> when A is a probe. Tag must be the tag of the
/// implementation's requires_arch parameter (tests/test_kernel_choice.cpp would show a mismatch).
template <class A, class Tag, class R = void>
using result = typename detail_dispatch::result<A, Tag, R>::type;

namespace detail_dispatch {
struct never {};
}  // namespace detail_dispatch
/// Never defined and never viable (no argument converts to `never`): it makes `kernel` name a
/// template wherever this header is included, so that kernel<A>(...) parses as a call of one
/// before the first implementation is declared (C++17 needs that for argument-dependent lookup
/// of a call with explicit template arguments).
template <class A>
void kernel(detail_dispatch::never);

/// The tag of the implementation that the call kernels::<op>(args..., Arch{}) runs, found by the
/// same unqualified call the public entry makes (kernel<Arch>(Op{}, args..., arch)): Args are the
/// entry's argument types (views of the exact element types), Arch the caller's arch.
template <class Op, class Arch, class... Args>
using kernel_choice =
    typename decltype(kernel<probe<Arch>>(Op{}, std::declval<Args>()..., std::declval<const Arch&>()))::tag;

}  // namespace twolayer::kernels
