// The one place a number format is described. A format names
//   storage   the type weights, biases and inputs are kept in (float, f16, bf16, a Q type, ...),
//   compute   the arithmetic type of everything else: pre-activations, activations, the loss,
//             learning rates, update amounts (float by default for the small formats),
//   accum     the type dot products accumulate in (exact wide integers for fixed point),
// with conversions between them, the resolution (spacing of values near 1) and the range.
// Kernels, trainers and test tolerances read these traits; adding a format means adding one
// specialization here plus its scalar kernels.
//
// A format is either a storage type (network<bf16, ...>: bf16 weights, float arithmetic) or
// mixed<Storage, Compute> to choose the arithmetic (network<mixed<q4_27, double>, ...>).
#pragma once
#include <cfloat>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "twolayer/format/fixed.hpp"
#include "twolayer/format/half.hpp"

namespace twolayer {

template <class F>
struct format_traits;  // undefined: a type without traits is not a number format

namespace detail {

// IEEE float and double: storage, arithmetic and accumulation in the type itself.
template <class T>
struct native_float_traits {
    using storage = T;
    using compute = T;
    using accum = T;
    static constexpr bool is_fixed = false;
    static constexpr double dot_unit = 1.0;   // value of one unit of accum
    static constexpr double step_abs = 0.0;   // absolute rounding step (fixed point only)
    static constexpr std::uint64_t max_dot_length = UINT64_MAX;  // no overflow UB: sums go to inf
    static constexpr T to_accum_product(T a, T b) { return a * b; }
    template <class C> static constexpr C to(T s) { return C(s); }
    template <class C> static constexpr T from(C c) { return T(c); }
    static constexpr double to_double(T x) { return x; }
    static constexpr T from_double(double x) { return T(x); }
};

// f16 and bf16: 16-bit storage, float arithmetic. Conversions are exact (to float) and correctly
// rounded, ties to even (from float or double).
template <class H>
struct half_traits {
    using storage = H;
    using compute = float;
    using accum = float;
    static constexpr bool is_fixed = false;
    static constexpr double dot_unit = 1.0;
    static constexpr double step_abs = 0.0;
    static constexpr std::uint64_t max_dot_length = UINT64_MAX;  // float sums: no overflow UB
    static float to_float(H h) {
        if constexpr (H::man_bits == 7) {  // bf16 is the upper half of a float
            const std::uint32_t b = std::uint32_t(h.bits) << 16;
            float f;
            std::memcpy(&f, &b, sizeof f);
            return f;
        } else {
            // f16 -> float by moving the fields (exact: every f16 is a float); subnormals are
            // their significand times 2^-24, also exact in float.
            const std::uint32_t sign = std::uint32_t(h.bits & 0x8000u) << 16;
            const std::uint32_t e = (h.bits >> 10) & 0x1fu, m = h.bits & 0x3ffu;
            std::uint32_t b;
            if (e == 0) {
                const float v = float(m) * 5.9604644775390625e-8f;
                return sign ? -v : v;
            }
            b = sign | (e == 31 ? (0xffu << 23) | (m << 13) : ((e + 112u) << 23) | (m << 13));
            float f;
            std::memcpy(&f, &b, sizeof f);
            return f;
        }
    }
    static float to_accum_product(H a, H b) { return to_float(a) * to_float(b); }
    template <class C> static C to(H s) { return C(to_float(s)); }
    template <class C> static H from(C c) { return H(c); }  // from float or double, one rounding
    static double to_double(H x) { return x.to_double(); }
    static H from_double(double x) { return H(x); }
};

// Fixed point: raw integers with an implied binary point. Products are exact in a wide integer
// and summed exactly in 64 bits; integer accumulation is associative, so every kernel gives the
// same bits. The largest product magnitude is raw_min^2 = 2^(2b - 2) for b-bit raw words (the
// most negative product, raw_min raw_max, is smaller), so 32-bit products are shifted right by 16
// first: 2^46 each, and max_dot_length = floor((2^63 - 1) / 2^46) = 2^17 - 1 = 131071 of them
// cannot overflow the int64 sum (2^17 products of -16 times -16 make exactly 2^63: overflow,
// undefined behaviour). 16-bit products (2^30 each) allow 2^33 - 1, more than any 32-bit index.
template <class Q>
struct fixed_traits {
    using storage = Q;
    using compute = float;
    using accum = std::int64_t;
    static constexpr bool is_fixed = true;
    static constexpr int product_shift = sizeof(typename Q::raw_type) >= 4 ? 16 : 0;
    static constexpr double dot_unit =
        Q::resolution * Q::resolution * double(std::int64_t(1) << product_shift);
    static constexpr double step_abs = Q::resolution;
    // The most terms of a dot product (inputs N of a network) whose int64 sum cannot overflow,
    // for any values: INT64_MAX / max |to_accum_product|.
    static constexpr std::uint64_t max_dot_length =
        std::uint64_t(INT64_MAX) >> (2 * (8 * sizeof(typename Q::raw_type) - 1) - product_shift);
    static std::int64_t to_accum_product(Q a, Q b) {
        return (std::int64_t(a.raw) * std::int64_t(b.raw)) >> product_shift;
    }
    template <class C> static C to(Q s) { return C(s.raw) * C(Q::resolution); }
    // Nearest; saturates, counted. From float by integer work on the bits (Q::from_float: no
    // double arithmetic, the same result as through double).
    template <class C> static Q from(C c) {
        if constexpr (std::is_same<C, float>::value) {
            return Q::from_float(c);
        } else {
            return Q(double(c));
        }
    }
    static double to_double(Q x) { return x.to_double(); }
    static Q from_double(double x) { return Q(x); }
};

}  // namespace detail

// The shipped formats: float and double (native), f16 and bf16 (16-bit storage, float arithmetic),
// every fixed<Raw, Wide, Frac> (q3_12, q4_27, ...), and mixed<S, C>.
template <>
struct format_traits<float> : detail::native_float_traits<float> {
    static constexpr const char* name = "float";
    static constexpr double resolution = FLT_EPSILON;  // spacing of values near 1
    static constexpr double max = FLT_MAX;
};

template <>
struct format_traits<double> : detail::native_float_traits<double> {
    static constexpr const char* name = "double";
    static constexpr double resolution = DBL_EPSILON;
    static constexpr double max = DBL_MAX;
};

template <>
struct format_traits<f16> : detail::half_traits<f16> {
    static constexpr const char* name = "f16";
    static constexpr double resolution = 1.0 / 1024;  // 2^-10
    static constexpr double max = 65504.0;
};

template <>
struct format_traits<bf16> : detail::half_traits<bf16> {
    static constexpr const char* name = "bf16";
    static constexpr double resolution = 1.0 / 128;  // 2^-7
    static constexpr double max = 3.38953138925153547590e38;
};

template <class Raw, class Wide, int Frac>
struct format_traits<fixed<Raw, Wide, Frac>> : detail::fixed_traits<fixed<Raw, Wide, Frac>> {
    using Q = fixed<Raw, Wide, Frac>;
    static constexpr const char* name = Q::name;
    static constexpr double resolution = Q::resolution;  // one step, 2^-Frac
    static constexpr double max = Q::max;
};

// Storage S with arithmetic in C (float or double): everything as for S except the compute type.
template <class S, class C>
struct mixed {};

template <class S, class C>
struct format_traits<mixed<S, C>> : format_traits<S> {
    static_assert(sizeof(format_traits<C>) > 0 && !format_traits<C>::is_fixed,
                  "mixed<S, C>: the compute type C must be float or double");
    using compute = C;
    static constexpr const char* compute_name = format_traits<C>::name;
};

namespace detail {
template <class Tr, class = void>
struct dot_length_of {
    static constexpr std::uint64_t value = UINT64_MAX;  // a format that states no limit
};
template <class Tr>
struct dot_length_of<Tr, std::void_t<decltype(Tr::max_dot_length)>> {
    static constexpr std::uint64_t value = Tr::max_dot_length;
};
}  // namespace detail

// The most terms a dot product in format F may have: format_traits<F>::max_dot_length where the
// format states one (fixed point: what its int64 accumulator holds for any values), else no limit.
// The network checks its N against it at compile time; code choosing N at run time calls
// dot_length_fits<F>(n) before the first dot product.
template <class F>
inline constexpr std::uint64_t max_dot_length_v = detail::dot_length_of<format_traits<F>>::value;

/// True when a dot product of n terms in format F cannot overflow its accumulator.
template <class F>
constexpr bool dot_length_fits(std::uint64_t n) { return n <= max_dot_length_v<F>; }

// A format as a value, to pass it to kernels (which are found by argument-dependent lookup).
template <class F>
struct format_tag {
    using type = F;
};

// The three types of a format F: storage (weights, inputs), compute (arithmetic), accum (dot sums).
template <class F> using storage_t = typename format_traits<F>::storage;
template <class F> using compute_t = typename format_traits<F>::compute;
template <class F> using accum_t = typename format_traits<F>::accum;

// True when storage and arithmetic are the same type (float, double): updates are then written
// exactly as computed, with nothing to round.
template <class F>
inline constexpr bool is_native_v = std::is_same<storage_t<F>, compute_t<F>>::value;

// Conversions by format: value_of(s) gives the compute value of a stored number, store_as(c) the
// stored number nearest to c.
template <class F>
inline compute_t<F> value_of(storage_t<F> s) { return format_traits<F>::template to<compute_t<F>>(s); }
template <class F>
inline storage_t<F> store_as(compute_t<F> c) { return format_traits<F>::template from<compute_t<F>>(c); }

}  // namespace twolayer
