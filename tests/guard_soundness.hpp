// The common part of the guard's soundness tests (test_guard_soundness*.cpp, issue 13): a case
// (network, sample, label, settings, master copy), one step of it on any path, and the exact check
// of an accepted step's promises. Every case runs on every path it concerns: separate, fused,
// master, gd_trainer full batch and minibatch, static and dynamic sizes. The references are exact:
// long double or integer arithmetic on the stored values.
#pragma once
#include <cfloat>
#include <cmath>
#include <cstdint>

#include "nonfinite.hpp"
#include "test_util.hpp"

namespace soundness {

using namespace twolayer;

enum class path { separate, fused, master, full_batch, minibatch };
constexpr path all_paths[] = {path::separate, path::fused, path::master, path::full_batch, path::minibatch};
inline const char* path_name(path p) {
    switch (p) {
        case path::separate: return "separate";
        case path::fused: return "fused";
        case path::master: return "master";
        case path::full_batch: return "full_batch";
        case path::minibatch: return "minibatch";
    }
    return "?";
}

template <class F>
long double exact(storage_t<F> s) {
    if constexpr (format_traits<F>::is_fixed) {
        return (long double)(s.raw) * (long double)(format_traits<F>::resolution);
    } else {
        return (long double)(value_of<F>(s));
    }
}

// Saturations of a fixed-point storage type so far (0 for the others).
template <class F>
std::uint32_t saturations() {
    if constexpr (format_traits<F>::is_fixed) return storage_t<F>::counters().saturations; else return 0;
}

// One case: a network, a sample, a label and the settings, and a master copy loaded from the network.
template <class F, index_t N, index_t P, class Act>
struct scenario {
    using S = storage_t<F>;
    using C = compute_t<F>;
    // float and double take the fused step too, which needs the network's copy of x_next
    using net_type = std::conditional_t<is_native_v<F>, lookahead_network<F, N, P, Act>, network<F, N, P, Act>>;
    net_type net;
    master_weights<F, N, P> master;
    S x[N] = {};
    C y = C(0);
    train_config<C> config;
    scenario() { config.scaling = lr_scaling::plain; }
};

// Runs one step of sc on path p (through dynamic references if asked) and returns its result.
template <class F, index_t N, index_t P, class Act>
step_result<compute_t<F>> run(path p, bool dynamic, scenario<F, N, P, Act>& sc) {
    using S = storage_t<F>;
    using C = compute_t<F>;
    using dyn_net = network_ref<F, dynamic_extent, dynamic_extent, Act>;
    using dyn_master = master_ref<C, dynamic_extent, dynamic_extent>;
    sc.master.load(sc.net);
    const vec_view<const S> xd(sc.x, N);
    if (p == path::separate || p == path::fused || p == path::master) {
        online_sgd<F> sgd(sc.config);
        if (p == path::separate) return dynamic ? sgd.step(dyn_net(sc.net.ref()), xd, sc.y) : sgd.step(sc.net, sc.x, sc.y);
        if (p == path::fused) return dynamic ? sgd.step(dyn_net(sc.net.ref()), xd, sc.y, xd) : sgd.step(sc.net, sc.x, sc.y, sc.x);
        return dynamic ? sgd.step(dyn_net(sc.net.ref()), dyn_master(sc.master.ref()), xd, sc.y)
                       : sgd.step(sc.net, sc.master, sc.x, sc.y);
    }
    dataset<S, 1, N> data;
    for (index_t j = 0; j < N; ++j) data.X(0, j) = sc.x[j];
    // The label stored in S; clamped into a fixed format's range first, so that storing it
    // counts no saturation (only the step's saturations are the test's business).
    C y = sc.y;
    if constexpr (format_traits<F>::is_fixed) {
        C top = C(format_traits<F>::max);  // the largest C value stored without saturation
        while (double(top) >= format_traits<F>::max + format_traits<F>::resolution / 2) top = std::nextafter(top, C(0));
        y = y > top ? top : y < -top ? -top : y;
    }
    data.y[0] = store_as<F>(y);
    gd_trainer<F, N, P> gd(sc.config);
    if (p == path::full_batch) return dynamic ? gd.full_batch(dyn_net(sc.net.ref()), data) : gd.full_batch(sc.net, data);
    return dynamic ? gd.minibatch(dyn_net(sc.net.ref()), data, 0, 1) : gd.minibatch(sc.net, data, 0, 1);
}

// The promises of an accepted step, checked exactly on the stored values: every trained parameter
// finite and within the limit (the user's, else the format's range), no saturation, the stored
// |W| bounds at least the true max |W| (the network's, and the master's on the master path),
// the loss finite.
template <class F, index_t N, index_t P, class Act>
bool accepted_promises_hold(const scenario<F, N, P, Act>& sc, path p, const step_result<compute_t<F>>& r,
                            std::uint32_t saturations_before) {
    using C = compute_t<F>;
    const long double limit = sc.config.weight_limit > C(0) ? (long double)sc.config.weight_limit
                                                             : (long double)format_traits<F>::max;
    bool ok = std::isfinite((long double)r.loss) && saturations<F>() == saturations_before;
    long double wmax = 0;
    auto within = [&](long double v) { return std::isfinite(v) && std::fabs(v) <= limit; };
    for (index_t k = 0; k < P; ++k) {
        for (index_t j = 0; j < N; ++j) {
            const long double w = exact<F>(sc.net.W()(k, j));
            if (sc.config.train_w) ok = ok && within(w);
            if (std::fabs(w) > wmax) wmax = std::fabs(w);
        }
        if (sc.config.train_v) ok = ok && within(exact<F>(sc.net.v()[k]));
        if (sc.config.train_b && sc.net.uses_hidden_bias()) ok = ok && within(exact<F>(sc.net.hidden_bias()[k]));
    }
    if (sc.config.train_b && sc.net.uses_output_bias()) ok = ok && within(exact<F>(sc.net.output_bias()));
    auto& head = *read_ref(sc.net).head;
    if (head.w_absmax_bound() >= C(0)) ok = ok && (long double)head.w_absmax_bound() >= wmax;
    if (p == path::master) {
        master_ref<C, N, P> m = const_cast<master_weights<F, N, P>&>(sc.master).ref();
        long double mmax = 0;
        for (index_t i = 0; i < N * P; ++i) {
            const long double w = m.W.data()[i];
            ok = ok && within(w);
            if (std::fabs(w) > mmax) mmax = std::fabs(w);
        }
        if (*m.w_absmax_bound >= C(0)) ok = ok && (long double)*m.w_absmax_bound >= mmax;
    }
    if (!ok) TL_INFO("    promises broken on path %s: max |W| %.17g, bound %.17g\n", path_name(p), double(wmax),
                     double(head.w_absmax_bound()));
    return ok;
}

// Runs make() on every path, static and dynamic: a refused step must leave every byte, an
// accepted one must keep the promises; want(p, status) says which statuses are right.
template <class Make, class Want>
void on_every_path(Make make, Want want, const char* what) {
    for (path p : all_paths) {
        for (bool dynamic : {false, true}) {
            auto sc = make();
            tl_test::weight_snapshot<decltype(sc.net)> before(sc.net);
            using F = typename decltype(sc.net)::format;
            const std::uint32_t sat = saturations<F>();
            const auto r = run(p, dynamic, sc);
            const bool right = want(p, r.status);
            const bool kept = r.ok() ? accepted_promises_hold(sc, p, r, sat) : before.same_as(sc.net);
            if (!right || !kept)
                TL_INFO("    %s: %s, %s: status %s%s\n", what, path_name(p), dynamic ? "dynamic" : "static",
                        to_string(r.status), kept ? "" : ", promises broken");
            TL_CHECK(right);
            TL_CHECK(kept);
        }
    }
}

inline bool any_status(path, step_status) { return true; }

// The input size of the small cases (one live weight W00, x = (1, 0, 0, 0)).
constexpr index_t N4 = 4;

}  // namespace soundness
