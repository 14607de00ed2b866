// The property test's wild inputs and its checks of one step (tests/guard_property.hpp).
#pragma once

namespace guard_property {

// The trainer paths.
enum class path { separate, fused, master, gd_full, gd_mini, gd_full_master, gd_mini_master };

// Wild values, chosen to reach the guard's edges: near the format's top and its ceiling, near the
// weight limit, zeros, subnormals, huge and tiny magnitudes; fixed point also raw values next to
// the ends of its range.
// tame: mostly Gaussian (one value in ten from the wild cases), so that most steps can be
// accepted and the wild values meet an ordinary network too.
template <class F>
storage_t<F> wild_weight(rng64& r, double limit, double scale, bool tame) {
    using S = storage_t<F>;
    using SI = storage_info<S>;
    const double mx = SI::max(), own = SI::is_fixed ? mx : mx / 4;
    auto clamp = [&](double d) { return d > mx ? mx : (d < -mx ? -mx : d); };
    if (tame && r.chance(0.9)) return SI::from(clamp(r.gauss() * scale));
    switch (r.below(12)) {
        case 0: return SI::from(0.0 * r.sign());
        case 1: return SI::from(r.sign() * (r.chance(0.5) ? mx : own) * (1 - std::ldexp(1.0, -1 - r.below(24))));
        case 2:
            if constexpr (SI::is_fixed) {
                const long d = long(r.below(400));
                return S::from_raw(r.chance(0.5) ? typename S::raw_type(S::raw_max - d) : typename S::raw_type(S::raw_min + d));
            } else {
                return SI::from(r.sign() * own * (1 + (r.uniform() - 0.5) * std::ldexp(1.0, -r.below(22))));
            }
        case 3:
            if (limit > 0) return SI::from(clamp(r.sign() * limit * (1 + (r.uniform() - 0.7) * std::ldexp(1.0, -r.below(24)))));
            return SI::from(r.gauss() * scale);
        case 4: return SI::from(r.sign() * SI::smallest() * double(1 + r.below(6)));
        case 5: return SI::from(r.sign() * r.pow10(-8, -1));
        case 6: return SI::from(clamp(r.gauss() * r.pow10(0, std::log10(own))));
        default: return SI::from(clamp(r.gauss() * scale));
    }
}

template <class F>
storage_t<F> wild_input(rng64& r, double scale) {
    using SI = storage_info<storage_t<F>>;
    const double mx = SI::max();
    const int k = r.below(100);
    if (k < 65) {
        const double d = r.gauss() * scale;
        return SI::from(d > mx ? mx : (d < -mx ? -mx : d));
    }
    if (k < 75) return SI::from(0.0);
    if (k < 82) return SI::from(r.sign() * SI::smallest() * double(1 + r.below(3)));
    if (k < 88) return SI::from(r.sign() * mx * (1 - std::ldexp(1.0, -1 - r.below(20))));
    if (k < 94) return SI::from(r.sign());
    return SI::from(r.gauss());
}

// Sometimes a NaN or an infinity (formats that have them).
template <class F>
bool spoil(rng64& r, storage_t<F>& s) {
    if constexpr (!storage_info<storage_t<F>>::is_fixed) {
        const int k = r.below(3);
        s = storage_info<storage_t<F>>::from(k == 0 ? std::numeric_limits<double>::quiet_NaN()
                                                    : r.sign() * std::numeric_limits<double>::infinity());
        return true;
    } else {
        (void)r;
        (void)s;
        return false;
    }
}

// A label: near the network's output (small errors, down to a few units of a fixed format),
// Gaussian, huge finite (near C's largest), tiny, or NaN / Inf.
template <class F>
compute_t<F> wild_label(rng64& r, double yhat, bool& bad) {
    using C = compute_t<F>;
    const double cmax = double(std::numeric_limits<C>::max());
    const int k = r.below(100);
    bad = false;
    if (k < 35 && std::isfinite(yhat)) {
        const int m = r.below(3);
        const double off = m == 0 ? yhat * std::ldexp(1.0, -r.below(30)) * r.sign()
                         : m == 1 ? r.sign() * double(1 + r.below(400)) * storage_info<storage_t<F>>::smallest()
                                  : r.gauss() * r.pow10(-8, 2);
        const double y = yhat + off;
        return C(y > cmax ? cmax : (y < -cmax ? -cmax : y));
    }
    if (k < 65) return C(r.gauss());
    if (k < 70) return C(r.sign() * cmax * (1 - std::ldexp(1.0, -1 - r.below(30))));
    if (k < 75) return C(r.sign() * r.pow10(15, std::log10(cmax)));
    if (k < 80) return C(r.sign() * double(std::numeric_limits<C>::denorm_min()) * double(r.below(8)));
    if (k < 83) {
        bad = true;
        return C(k == 80 ? std::numeric_limits<double>::quiet_NaN() : r.sign() * std::numeric_limits<double>::infinity());
    }
    return C(r.gauss() * r.pow10(-3, 6));
}

template <class C>
C wild_rate(rng64& r) {
    const double cmax = double(std::numeric_limits<C>::max());
    const int k = r.below(100);
    if (k < 8) return C(0);
    if (k < 70) return C(r.pow10(-6, -1));
    if (k < 88) return C(r.pow10(-1, 2));
    if (k < 96) return C(r.pow10(2, 8));
    return C(r.pow10(8, std::log10(cmax) - 1));
}

// A configuration: rates from 0 to huge, decay (also with lr wd near and past 1), the limit off,
// near the network's current max |W|, anywhere, near the format's ceiling; what is trained;
// the scaling; and, 3 times in 100, one field set to a bad value (bad = true).
template <class F>
train_config<compute_t<F>> wild_config(rng64& r, ld wmax, bool& bad) {
    using C = compute_t<F>;
    using SI = storage_info<storage_t<F>>;
    train_config<C> c;
    c.lr_w = wild_rate<C>(r);
    c.lr_v = wild_rate<C>(r);
    c.lr_b = wild_rate<C>(r);
    auto decay = [&](C lr) {
        const int k = r.below(10);
        if (k < 7) return C(0);
        if (k < 9 || lr == C(0)) return C(r.pow10(-6, 0));
        return C(r.uniform() * 3 / double(lr));
    };
    c.weight_decay_w = decay(c.lr_w);
    c.weight_decay_v = decay(c.lr_v);
    const int k = r.below(100);
    const double own = SI::is_fixed ? SI::max() : SI::max() / 4;
    if (k < 40) c.weight_limit = C(0);
    else if (k < 65) c.weight_limit = C(double(wmax) * (1 + (r.uniform() - 0.3) * std::ldexp(1.0, -r.below(24))));
    else if (k < 75) c.weight_limit = C(double(wmax) * (1 + r.pow10(-3, 1)));
    else if (k < 85) c.weight_limit = C(r.pow10(-8, 4));
    else if (k < 95) c.weight_limit = C(own * (1 - (r.uniform() - 0.2) * std::ldexp(1.0, -r.below(24))));
    else c.weight_limit = C(r.pow10(-40, -20));
    c.train_w = r.chance(0.85);
    c.train_v = r.chance(0.85);
    c.train_b = r.chance(0.85);
    c.scaling = r.chance(0.5) ? lr_scaling::teacher_student : lr_scaling::plain;
    bad = false;
    if (r.chance(0.03)) {
        bad = true;
        const C v = r.chance(0.5) ? C(-r.pow10(-3, 3)) : C(std::numeric_limits<double>::quiet_NaN());
        switch (r.below(6)) {
            case 0: c.lr_w = v; break;
            case 1: c.lr_v = v; break;
            case 2: c.lr_b = v; break;
            case 3: c.weight_decay_w = v; break;
            case 4: c.weight_decay_v = v; break;
            default: c.weight_limit = v; break;
        }
    }
    if (!std::isfinite(double(c.weight_limit)) && !bad) c.weight_limit = C(0);
    return c;
}

}  // namespace guard_property

#include "guard_property_check.hpp"
