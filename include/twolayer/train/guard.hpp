// The checks behind the guarded step: every test runs before the first weight is written, so a
// rejected step leaves the network bit for bit as it was. F is the network's format: parameters
// are stored in storage_t<F>, checks are done in compute_t<F> (fixed point: in integers). What an
// accepted step guarantees: every updated weight finite and within the ceiling (limits, below),
// no fixed-point value saturated, and the |W| bounds it records at least the true max |W|, for
// any kernel (fused multiply-add or not). Fixed point is checked exactly for the update rule as
// compiled with -ffp-contract=off (the project's flag): with contraction on and a weight decay,
// the compiler could round the write's increment 2^Frac step + (decay - 1) raw differently at the
// check's and at the write's inlined copy, by one raw unit.
#pragma once
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/format/update_rule.hpp"
#include "twolayer/kernels/default_arch.hpp"
#include "twolayer/train/config.hpp"
#include "twolayer/train/status.hpp"

namespace twolayer::guard {

template <class C>
using scan_result = kernels::absmax_result<C>;

// Finiteness and the largest magnitude of a sample, in the compute type.
template <class F, index_t E>
scan_result<compute_t<F>> scan(vec_view<const storage_t<F>, E> x) {
    using C = compute_t<F>;
    if constexpr (is_native_v<F> && (sizeof(C) == 4 || sizeof(C) == 8)) {
        return kernels::absmax(x, arch::default_arch{});  // an exact integer scan of the bits
    }
    scan_result<C> r;
    for (index_t i = 0; i < x.size(); ++i) {
        const C v = value_of<F>(x[i]);
        if (!math::isfinite(v)) { r.finite = false; return r; }
        const C a = math::abs(v);
        if (a > r.absmax) r.absmax = a;
    }
    return r;
}

// ---- What a weight may become -----------------------------------------------------------------
//
// A weight must stay finite and within the ceiling: the user's weight_limit if set and in any
// case a quarter of a floating format's range (the margin the cheap bound of the SGD step relies
// on; only a diverging run gets there) or a fixed format's whole range (so that training never
// saturates). What is checked, per kind of value:
//   - a value computed in C and kept in C (float and double networks, master copies): a magnitude
//     M that covers every way a kernel may compute decay * p + step (covering_magnitude: one
//     rounding or two, fused multiply-add in either order) is within the ceiling;
//   - a value computed in C and rounded into f16 or bf16: the stored image of M (to nearest, or
//     the upper neighbour when the policy may pick either) is within the ceiling; the stored
//     value is a value of the format, so the subnormal range needs no separate slack;
//   - a fixed-point value: exactly, in integers, as the write computes it (format/update_rule.hpp:
//     the increment fixed_increment, every integer the rounding policy may add): raw' within
//     [-raw_hi, raw_hi], raw_hi = min(raw_max, floor(weight_limit 2^Frac));
//   - a master value stored into a fixed or narrow network: M within the ceiling (for fixed
//     point without a user limit: within the range, raw_max 2^-Frac) and the stored image of M
//     (to nearest, as the write stores it) within it too.
// Rounding is monotone, so a stored image of M bounds the stored image of every value of
// magnitude at most M: the stored bounds on |W| are taken from it.

namespace detail {
// The unsigned integer of C's size (C: float or double).
template <class C>
using bits_of_t = std::conditional_t<sizeof(C) == 4, std::uint32_t, std::uint64_t>;
// The next value of C above c >= 0 (c itself if infinite or NaN): rounds a bound up.
template <class C>
inline C next_up(C c) {
    if (!math::isfinite(c)) return c;
    if (c == C(0)) return std::numeric_limits<C>::denorm_min();
    bits_of_t<C> b;
    std::memcpy(&b, &c, sizeof b);
    ++b;
    std::memcpy(&c, &b, sizeof b);
    return c;
}
// The next value of C below c > 0 (finite).
template <class C>
inline C next_down(C c) {
    bits_of_t<C> b;
    std::memcpy(&b, &c, sizeof b);
    --b;
    std::memcpy(&c, &b, sizeof b);
    return c;
}
// The smallest value of C that is at least m (0 <= m < 2^62).
template <class C>
inline C up_from_int(std::int64_t m) {
    const C c = C(m);
    return std::int64_t(c) < m ? next_up(c) : c;
}
}  // namespace detail

// a * b, except that a product whose exact value is 0 (one factor 0, the other an infinity from
// an overflow upstream) is 0, not NaN: a dead unit (delta_k = 0, g_k = 0) or a zero error gives an
// exact update of 0 however large the rate. Equal to a * b whenever that is not NaN, so normal
// steps keep their bits.
template <class C>
inline C mul0(C a, C b) {
    const C p = a * b;
    if (math::isfinite(p)) return p;
    constexpr C big = std::numeric_limits<C>::max();
    if ((a == C(0) && math::abs(b) > big) || (b == C(0) && math::abs(a) > big)) return C(0);
    return p;
}

// A magnitude at least that of every result a kernel may compute for decay * p + step, given one
// of them (cand), a = |decay * p| (|p| when decay is 1) and b = |step|: each form (two roundings,
// or one, fused in either order) is within u (a + b) + u |result| of the exact value (u = eps / 2),
// so any two differ by at most about 2 eps (a + b); 3 eps also covers the rounding of this sum.
template <class C>
inline C covering_magnitude(C cand, C a, C b) {
    return math::abs(cand) + C(3) * std::numeric_limits<C>::epsilon() * (a + b);
}

// |x| <= bound and x finite, for float and double and a finite bound >= 0, in one integer
// compare of the bit patterns: a magnitude's bits order as its value, and every infinity and NaN
// lies above every finite bound (by bits, so it holds under -ffinite-math-only too).
template <class C>
inline bool magnitude_within(C x, C bound) {
    using word = ::twolayer::detail::ieee_word<C>;
    constexpr std::uint64_t sign = (word::exp_mask << 1) & ~word::exp_mask;
    return (word::get(x) & ~sign) <= word::get(bound);
}

// The limits of one step (see above). F: the network's format; nearest: the stored values are
// rounded to nearest (round_nearest, and every master copy's store); otherwise the rounding
// policy may pick either neighbour (stochastic rounding), and both must be within the ceiling.
template <class F>
struct limits {
    using C = compute_t<F>;
    using S = storage_t<F>;
    static constexpr bool is_fixed = format_traits<F>::is_fixed;
    C ceiling;
    bool user_limit;   // the user's limit is the one that binds
    bool nearest;
    std::int64_t raw_hi = 0;  // fixed point: the largest |raw| a value may take
    C raw_hi_value = C(0);    // fixed point: raw_hi 2^-Frac in C, rounded down (the O(P) bound's ceiling)

    explicit limits(const train_config<C>& c, bool to_nearest = true)
        : ceiling(C(is_fixed ? format_traits<F>::max : format_traits<F>::max / 4)), user_limit(false),
          nearest(to_nearest) {
        if (c.weight_limit > C(0) && c.weight_limit < ceiling) {
            ceiling = c.weight_limit;
            user_limit = true;
        }
        if constexpr (is_fixed) init_raw(c.weight_limit);
    }

    // Why a value that is not within the limits was refused: not finite; past the user's limit;
    // past a fixed format's range (it would saturate); past a quarter of a floating format's
    // range (the run is diverging toward Inf).
    step_status reason(bool finite) const {
        if (!finite) return step_status::nonfinite_update;
        if (user_limit) return step_status::weight_limit_exceeded;
        return is_fixed ? step_status::range_exceeded : step_status::nonfinite_update;
    }

    // A stored parameter (no master) whose computed value has magnitude at most M: every value
    // the rounding may store is within the ceiling (not for fixed point: raw_ok).
    // Finiteness is tested by bits, never by a comparison failing on NaN: under -ffinite-math-only
    // the compiler may rewrite a <= b as !(a > b).
    bool stored_ok(C M) const {
        const C s = stored_bound(M);
        return math::isfinite(s) && s <= ceiling;
    }
    // The largest stored magnitude from a computed value of magnitude at most M (NaN stays NaN).
    C stored_bound(C M) const {
        if constexpr (is_native_v<F>) {
            return M;
        } else if constexpr (std::is_same<S, f16>::value || std::is_same<S, bf16>::value) {
            S s = store_as<F>(M);
            C v = value_of<F>(s);
            if (!nearest && v < M && math::isfinite(v)) v = value_of<F>(S::from_bits(std::uint16_t(s.bits + 1)));
            return v;
        } else {
            return value_of<F>(store_as<F>(M));  // other storage types round to nearest
        }
    }
    // A fixed-point value that may become any raw value in [lo, hi].
    bool raw_ok(std::int64_t lo, std::int64_t hi) const { return hi <= raw_hi && lo >= -raw_hi; }

    // A master value of magnitude at most M, stored to nearest into the network. Fixed point: the
    // master itself within the user's limit, or else within the format's range (as every weight),
    // and its stored raw value within [-raw_hi, raw_hi].
    bool master_ok(C M) const {
        if (!math::isfinite(M)) return false;
        if constexpr (is_fixed) {
            return M <= (user_limit ? ceiling : raw_hi_value) && nearest_raw(M) <= raw_hi;
        } else {
            return M <= ceiling && value_of<F>(store_as<F>(M)) <= ceiling;
        }
    }
    // The largest stored magnitude from a master value of magnitude at most M (master_ok(M)).
    C master_stored_bound(C M) const {
        if constexpr (is_fixed) {
            return detail::up_from_int<C>(nearest_raw(M)) * C(format_traits<F>::resolution);
        } else {
            return value_of<F>(store_as<F>(M));
        }
    }

    // Fixed point: the raw value nearest to M >= 0 (ties away from zero, as the format's
    // conversion), computed exactly (scaling by 2^Frac is exact); past 2^62, a value beyond every
    // raw_hi. NaN gives that too.
    static std::int64_t nearest_raw(C M) {
        const C scaled = M * C(1.0 / format_traits<F>::resolution);
        if (!math::isfinite(scaled) || !(scaled < C(4611686018427387904.0))) return std::int64_t(1) << 62;
        const std::int64_t fl = twolayer::detail::floor_to_int(scaled);
        return scaled - C(fl) >= C(0.5) ? fl + 1 : fl;
    }

private:
    void init_raw(C weight_limit) {
        raw_hi = S::raw_max;
        if (user_limit) {
            const C scaled = weight_limit * C(1.0 / format_traits<F>::resolution);  // exact
            const std::int64_t fl = twolayer::detail::floor_to_int(scaled);
            if (fl < raw_hi) raw_hi = fl;
        }
        C v = C(raw_hi);
        if (v > C(0) && std::int64_t(v) > raw_hi) v = detail::next_down(v);
        raw_hi_value = v * C(format_traits<F>::resolution);
    }
};

// The largest magnitude of the values a check has accepted: in C, and for fixed point as a raw
// integer (value() converts it, rounded up).
template <class F>
struct magnitude {
    using C = compute_t<F>;
    C m = C(0);
    std::int64_t raw = 0;
    void add(C v) { if (v > m) m = v; }
    void add_raw(std::int64_t r) { if (r > raw) raw = r; }
    C value() const {
        if constexpr (format_traits<F>::is_fixed) {
            const C r = detail::up_from_int<C>(raw) * C(format_traits<F>::resolution);
            return r > m ? r : m;
        } else {
            return m;
        }
    }
};

// ---- The check of one value ---------------------------------------------------------------------
// p' = decay * p + step, step = alpha * factor as the trainer computes it (mul0). The first
// failure's status is returned; on success the value's bound joins acc.

// A stored parameter, written by apply_update (or by a kernel, for float and double).
template <class F>
inline step_status check_stored(const limits<F>& lim, storage_t<F> p, compute_t<F> step, compute_t<F> decay,
                                magnitude<F>& acc) {
    using C = compute_t<F>;
    if constexpr (format_traits<F>::is_fixed) {
        const C inc = fixed_increment<F>(p, step, decay);
        if (!math::isfinite(inc)) return step_status::nonfinite_update;
        if (!(math::abs(inc) < C(4611686018427387904.0))) return lim.reason(true);  // 2^62: far past any range
        const integer_choices ch = possible_integers(inc, lim.nearest);
        const std::int64_t lo = std::int64_t(p.raw) + ch.lo, hi = std::int64_t(p.raw) + ch.hi;
        if (!lim.raw_ok(lo, hi)) return lim.reason(true);
        acc.add_raw(hi > -lo ? hi : -lo);
        return step_status::ok;
    } else {
        const C w = value_of<F>(p);
        const C cand = updated(w, step, decay);
        if constexpr (is_native_v<F> && (std::is_same<C, float>::value || std::is_same<C, double>::value)) {
            // One test on the accepting path (M is not finite when cand is not; the stored bound is
            // M): ~7 instructions less per value on the Cortex-M4. Which refusal, only on refusal.
            const C M = covering_magnitude(cand, math::abs(decay == C(1) ? w : C(decay * w)), math::abs(step));
            if (!magnitude_within(M, lim.ceiling)) {
                return math::isfinite(cand) ? lim.reason(true) : step_status::nonfinite_update;
            }
            acc.add(M);
            return step_status::ok;
        }
        if (!math::isfinite(cand)) return step_status::nonfinite_update;
        const C M = covering_magnitude(cand, math::abs(decay == C(1) ? w : C(decay * w)), math::abs(step));
        const C stored = lim.stored_bound(M);
        if (!math::isfinite(stored) || stored > lim.ceiling) return lim.reason(true);
        acc.add(stored);
        return step_status::ok;
    }
}

// A master value m (in C), later stored to nearest into the network; acc takes the master's bound.
template <class F>
inline step_status check_master(const limits<F>& lim, compute_t<F> m, compute_t<F> step, compute_t<F> decay,
                                magnitude<F>& acc) {
    using C = compute_t<F>;
    const C cand = updated(m, step, decay);
    if (!math::isfinite(cand)) return step_status::nonfinite_update;
    const C M = covering_magnitude(cand, math::abs(decay == C(1) ? m : C(decay * m)), math::abs(step));
    if (!lim.master_ok(M)) return lim.reason(true);
    acc.add(M);
    return step_status::ok;
}

template <class T>
inline bool rate_ok(T r) {
    return math::isfinite(r) && r >= T(0);
}

template <class T>
inline bool config_ok(const train_config<T>& c) {
    return rate_ok(c.lr_w) && rate_ok(c.lr_v) && rate_ok(c.lr_b) && rate_ok(c.weight_decay_w) &&
           rate_ok(c.weight_decay_v) && rate_ok(c.weight_limit);
}

}  // namespace twolayer::guard
