// The checks behind the guarded step: every test runs before the first weight is written, so a
// rejected step leaves the network bit for bit as it was. F is the network's format: parameters
// are stored in storage_t<F>, checks are done in compute_t<F>.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
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

// What a weight may become: finite and within the ceiling, which is the user's weight_limit if
// set and in any case a quarter of a floating format's range (the margin the cheap bound of the
// SGD step relies on; only a diverging run gets there) or a fixed format's whole range (so that
// training never saturates). Formats that round a value before storing it are checked with one
// rounding step of slack, so whichever neighbour is stored stays within the ceiling.
template <class F>
struct limits {
    using C = compute_t<F>;
    C ceiling;
    bool user_limit;

    explicit limits(const train_config<C>& c)
        : ceiling(C(format_traits<F>::is_fixed ? format_traits<F>::max : format_traits<F>::max / 4)),
          user_limit(false) {
        // user_limit: the user's limit is the one that binds.
        if (c.weight_limit > C(0) && c.weight_limit < ceiling) {
            ceiling = c.weight_limit;
            user_limit = true;
        }
    }
    // The largest value a stored weight can take when u is rounded into the format.
    static C rounded_magnitude(C u) {
        if constexpr (is_native_v<F>) {
            return math::abs(u);
        } else {
            return math::abs(u) * C(1 + 2 * format_traits<F>::resolution) + C(2 * format_traits<F>::step_abs);
        }
    }
    // NaN fails the comparison and infinity exceeds the (finite) ceiling: no separate finiteness test.
    bool ok(C value) const { return rounded_magnitude(value) <= ceiling; }
    // Why a value that is not ok was refused. Past a fixed format's range it would saturate;
    // past a quarter of a floating format's range the run is diverging toward Inf.
    step_status reason(C value) const {
        if (!math::isfinite(value)) return step_status::nonfinite_update;
        if (user_limit) return step_status::weight_limit_exceeded;
        return format_traits<F>::is_fixed ? step_status::range_exceeded : step_status::nonfinite_update;
    }
};

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
