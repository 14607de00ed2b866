// The number rule behind every trainer's update, p' = decay * p + step, for a parameter stored in
// format F: the candidate value is computed in the arithmetic type (and checked by the guard),
// then stored with the trainer's rounding policy. Native formats store it as computed, bit for
// bit what updated() gives; fixed point adds the rounded increment to the raw integer, so a
// Q4.27 weight keeps all its bits however coarse the arithmetic is. The guard checks a
// fixed-point update through the same pieces the write uses (fixed_increment, possible_integers),
// so the check and the write cannot diverge.
#pragma once
#include <cstdint>
#include <type_traits>

#include "twolayer/format/rounding.hpp"
#include "twolayer/format/traits.hpp"

namespace twolayer {

// The update of one value of a native format: decay * w + step (decay exactly 1 skips the
// multiply). Written once so every check and every write compute the very same value.
template <class T>
inline T updated(T w, T step, T decay) {
    return decay == T(1) ? T(w + step) : T(decay * w + step);
}

// The value p would take in the arithmetic type: what the guard checks before anything is stored.
template <class F>
inline compute_t<F> candidate_value(storage_t<F> p, compute_t<F> step, compute_t<F> decay) {
    return updated(value_of<F>(p), step, decay);
}

// Fixed point: the increment of p's raw integer, in units of one step, before rounding:
// 2^Frac (step + (decay - 1) p) = 2^Frac step + (decay - 1) raw (scaling by 2^Frac is exact).
template <class F>
inline compute_t<F> fixed_increment(storage_t<F> p, compute_t<F> step, compute_t<F> decay) {
    using C = compute_t<F>;
    static_assert(format_traits<F>::is_fixed, "fixed_increment: fixed-point formats only");
    C inc = step * C(1.0 / format_traits<F>::resolution);
    if (decay != C(1)) inc = inc + (decay - C(1)) * C(p.raw);
    return inc;
}

// The integers a rounding policy may turn an increment into: [lo, hi].
struct integer_choices {
    std::int64_t lo, hi;
};

// For a finite inc with |inc| < 2^62: round_nearest's one integer (nearest = true), or floor and
// ceiling (any other policy: stochastic rounding picks one of them; ceiling only if inc is not
// already an integer).
template <class C>
inline integer_choices possible_integers(C inc, bool nearest) {
    if (nearest) {
        const std::int64_t r = round_nearest{}.to_integer<C>(inc);
        return {r, r};
    }
    const std::int64_t lo = detail::floor_to_int(inc);
    return {lo, C(lo) == inc ? lo : lo + 1};
}

// Whether a rounding policy stores to nearest (the guard then checks the one value it stores).
template <class Rnd>
inline constexpr bool rounds_to_nearest_v = std::is_same<Rnd, round_nearest>::value;

// The stored result of p' = decay * p + step under the rounding policy rnd (round_nearest or
// basic_stochastic_rounding): exactly updated() for native formats; for fixed point the raw
// integer plus the rounded increment (saturating; the guard keeps accepted steps in range, and
// checks that the increment converts: finite, |inc| < 2^62).
template <class F, class Rnd>
inline storage_t<F> apply_update(storage_t<F> p, compute_t<F> step, compute_t<F> decay, Rnd& rnd) {
    using S = storage_t<F>;
    using C = compute_t<F>;
    if constexpr (is_native_v<F>) {
        return updated(p, step, decay);
    } else if constexpr (format_traits<F>::is_fixed) {
        const C inc = fixed_increment<F>(p, step, decay);
        using W = typename S::wide_type;
        return S::from_raw(S::saturate(W(p.raw) + W(rnd.template to_integer<C>(inc))));
    } else {
        return rnd.template to_storage<S, C>(candidate_value<F>(p, step, decay));
    }
}

}  // namespace twolayer
