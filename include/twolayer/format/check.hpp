// What a number format must provide, checked: the members of format_traits<F> that kernels,
// trainers and conversions use, each tested by name, so that a new format missing one fails to
// compile with one static_assert naming that member (instead of an error deep in a kernel).
// network<F, ...> and the trainers check their format with require_format<F>.
//
// The members (format/traits.hpp shows them for every shipped format):
//   types       storage, compute, accum
//   constants   name, is_fixed, resolution, max, dot_unit, step_abs
//   functions   to_accum_product(storage, storage) -> accum, to<C>(storage) -> C,
//               from<C>(C) -> storage, to_double(storage), from_double(double) -> storage
//   fixed point storage::raw, storage::wide_type, storage::saturate(wide), storage::from_raw(raw)
#pragma once
#include <type_traits>
#include <utility>

#include "twolayer/format/traits.hpp"

namespace twolayer {

namespace detail_check {

template <template <class> class Op, class T, class = void>
struct detect : std::false_type {};
template <template <class> class Op, class T>
struct detect<Op, T, std::void_t<Op<T>>> : std::true_type {};

template <class F> using complete = decltype(sizeof(format_traits<F>));
template <class Tr> using storage = typename Tr::storage;
template <class Tr> using compute = typename Tr::compute;
template <class Tr> using accum = typename Tr::accum;
template <class Tr> using name = decltype(Tr::name);
template <class Tr> using is_fixed = decltype(Tr::is_fixed);
template <class Tr> using resolution = decltype(Tr::resolution);
template <class Tr> using max = decltype(Tr::max);
template <class Tr> using dot_unit = decltype(Tr::dot_unit);
template <class Tr> using step_abs = decltype(Tr::step_abs);
template <class Tr>
using to_accum_product =
    decltype(Tr::to_accum_product(std::declval<typename Tr::storage>(), std::declval<typename Tr::storage>()));
template <class Tr>
using to = decltype(Tr::template to<typename Tr::compute>(std::declval<typename Tr::storage>()));
template <class Tr>
using from = decltype(Tr::template from<typename Tr::compute>(std::declval<typename Tr::compute>()));
template <class Tr> using to_double = decltype(Tr::to_double(std::declval<typename Tr::storage>()));
template <class Tr> using from_double = decltype(Tr::from_double(0.0));
template <class S> using raw = decltype(std::declval<S>().raw);
template <class S> using from_raw = decltype(S::from_raw(std::declval<S>().raw));
template <class S>
using saturate = decltype(S::saturate(std::declval<typename S::wide_type>()));

template <class F>
struct always_false : std::false_type {};

// One static_assert per member, in order; only the first missing member is reported.
template <class F>
constexpr bool check_format() {
    using Tr = format_traits<F>;
    if constexpr (!detect<complete, F>::value) {
        static_assert(always_false<F>::value,
                      "twolayer format: no format_traits<F> for this type; it is not a number format "
                      "(float, double, f16, bf16, q3_12, q4_27, mixed<S, C>; format/traits.hpp)");
    } else if constexpr (!detect<storage, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'using storage' (the type weights are kept in)");
    } else if constexpr (!detect<compute, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'using compute' (the arithmetic type)");
    } else if constexpr (!detect<accum, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'using accum' (the dot-product accumulator)");
    } else if constexpr (!detect<name, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'name' (a const char* for reports)");
    } else if constexpr (!detect<is_fixed, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'is_fixed' (true for fixed point)");
    } else if constexpr (!detect<resolution, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'resolution' (spacing of values near 1)");
    } else if constexpr (!detect<max, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'max' (the largest finite value)");
    } else if constexpr (!detect<dot_unit, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'dot_unit' (the value of one accum unit)");
    } else if constexpr (!detect<step_abs, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'step_abs' (the absolute rounding step)");
    } else if constexpr (!detect<to_accum_product, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'to_accum_product(storage, storage)'");
    } else if constexpr (!detect<to, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'template <class C> C to(storage)'");
    } else if constexpr (!detect<from, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'template <class C> storage from(C)'");
    } else if constexpr (!detect<to_double, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'to_double(storage)'");
    } else if constexpr (!detect<from_double, Tr>::value) {
        static_assert(always_false<F>::value, "format_traits<F>: missing 'from_double(double)'");
    } else if constexpr (Tr::is_fixed && !(detect<raw, typename Tr::storage>::value &&
                                           detect<from_raw, typename Tr::storage>::value &&
                                           detect<saturate, typename Tr::storage>::value)) {
        static_assert(always_false<F>::value,
                      "format_traits<F>: a fixed-point storage type needs 'raw', 'wide_type', "
                      "'saturate(wide_type)' and 'from_raw(raw)' (format/fixed.hpp)");
    }
    return true;
}

}  // namespace detail_check

// require_format<F>::value is true for a complete number format; for anything else its
// instantiation stops the build with a static_assert naming the first missing member.
template <class F>
struct require_format : std::bool_constant<detail_check::check_format<F>()> {};

}  // namespace twolayer
