// The checks behind the guarded step: every test runs before the first weight is written, so a
// rejected step leaves the network bit for bit as it was.
#pragma once
#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/train/config.hpp"
#include "twolayer/train/status.hpp"

namespace twolayer::guard {

template <class T>
struct scan_result {
    bool finite = true;
    T absmax = T(0);
};

template <class T, index_t E>
scan_result<T> scan(vec_view<const T, E> x) {
    scan_result<T> r;
    for (index_t i = 0; i < x.size(); ++i) {
        if (!math::isfinite(x[i])) { r.finite = false; return r; }
        T a = math::abs(x[i]);
        if (a > r.absmax) r.absmax = a;
    }
    return r;
}

// The update every trainer applies to one weight: decay * w + step. Written once so the check
// pass and the write pass compute the very same value.
template <class T>
inline T updated(T w, T step, T decay) {
    return decay == T(1) ? T(w + step) : T(decay * w + step);
}

// What a weight may become: finite and within the ceiling, which is the user's weight_limit if
// set and in any case a quarter of the format's range (the margin the cheap bound of the SGD step
// relies on; only a diverging run gets there).
template <class T>
struct limits {
    T ceiling;
    bool user_limit;

    explicit limits(const train_config<T>& c)
        : ceiling(T(format_traits<T>::max / 4)), user_limit(c.weight_limit > T(0)) {
        if (user_limit && c.weight_limit < ceiling) ceiling = c.weight_limit;
    }
    bool ok(T value) const { return math::isfinite(value) && math::abs(value) <= ceiling; }
    // Why a value that is not ok was refused.
    step_status reason(T value) const {
        return (math::isfinite(value) && user_limit) ? step_status::weight_limit_exceeded
                                                     : step_status::nonfinite_update;
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
