// The guarded step: bad samples, bad labels, divergent updates and bad settings are rejected
// with an error code, and every weight keeps its bits.
#include <cfloat>
#include <cmath>
#include <initializer_list>

#include "nonfinite.hpp"
#include "test_util.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 16, P = 4;

// A tanh network with both biases and a sample, drawn from seed 21.
template <class T>
struct fixture : tl_test::biased_network<T, N, P> {
    fixture() : tl_test::biased_network<T, N, P>(21) {}
};

// From bit patterns (tests/nonfinite.hpp): this file is also built with -ffast-math, where 0/0
// and 1/0 may fold to anything.
template <class T>
T quiet_nan() { return tl_test::quiet_nan<T>(); }
template <class T>
T inf() { return tl_test::infinity<T>(); }

template <class T>
void online_rejects_bad_input() {
    fixture<T> f;
    online_sgd<T> sgd;
    tl_test::weight_snapshot<decltype(f.net)> before(f.net);

    f.x[3] = quiet_nan<T>();
    TL_CHECK(sgd.step(f.net, f.x, T(1)).status == step_status::nonfinite_input);
    f.x[3] = inf<T>();
    TL_CHECK(sgd.step(f.net, f.x, T(1)).status == step_status::nonfinite_input);
    f.x[3] = -inf<T>();
    TL_CHECK(sgd.step(f.net, f.x, T(1)).status == step_status::nonfinite_input);
    f.x[3] = T(0.5);
    TL_CHECK(sgd.step(f.net, f.x, quiet_nan<T>()).status == step_status::nonfinite_label);
    TL_CHECK(sgd.step(f.net, f.x, inf<T>()).status == step_status::nonfinite_label);
    TL_CHECK(before.same_as(f.net));
    TL_CHECK(sgd.rejected() == 5 && sgd.steps() == 0);
    TL_CHECK(sgd.last_status() == step_status::nonfinite_label);

    // Then training goes on normally.
    TL_CHECK(sgd.step(f.net, f.x, T(1)).ok());
    TL_CHECK(!before.same_as(f.net));
}

template <class T>
void online_rejects_exploding_rate() {
    fixture<T> f;
    tl_test::weight_snapshot<decltype(f.net)> before(f.net);
    train_config<T> c;
    c.lr_w = T(format_traits<T>::max / 8);  // finite, absurd: the update overflows
    c.lr_v = T(1);
    online_sgd<T> sgd(c);
    const step_result<T> r = sgd.step(f.net, f.x, T(30));
    TL_CHECK(r.status == step_status::nonfinite_update);
    TL_CHECK(before.same_as(f.net));

    // A large but finite rate on the second layer alone: v overflows, W must not have moved.
    c.lr_w = T(1);
    c.lr_v = T(format_traits<T>::max / 2);
    online_sgd<T> sgd2(c);
    TL_CHECK(sgd2.step(f.net, f.x, T(30)).status == step_status::nonfinite_update);
    TL_CHECK(before.same_as(f.net));

    // Divergence over many steps: the step that would overflow is refused, weights stay finite.
    c.lr_v = T(1);
    c.lr_w = T(50);
    c.scaling = lr_scaling::plain;
    online_sgd<T> sgd3(c);
    gaussian_rng g(5);
    int rejected_at = -1;
    for (int i = 0; i < 10000 && rejected_at < 0; ++i) {
        for (auto& xi : f.x) xi = T(g.gaussian<T>() * T(30));
        tl_test::weight_snapshot<decltype(f.net)> s(f.net);
        const step_result<T> rr = sgd3.step(f.net, f.x, T(1000));
        if (!rr) { rejected_at = i; TL_CHECK(s.same_as(f.net)); }
    }
    TL_INFO("    %s: divergent run refused at step %d\n", format_traits<T>::name, rejected_at);
    TL_CHECK(rejected_at >= 0);
    for (index_t i = 0; i < N * P; ++i) TL_CHECK(math::isfinite(f.net.W().data()[i]));
}

template <class T>
void online_weight_limit_and_config() {
    fixture<T> f;
    tl_test::weight_snapshot<decltype(f.net)> before(f.net);
    train_config<T> c;
    c.weight_limit = T(1e-3);  // initial weights are already larger: any W update exceeds it
    online_sgd<T> sgd(c);
    TL_CHECK(sgd.step(f.net, f.x, T(1)).status == step_status::weight_limit_exceeded);
    TL_CHECK(before.same_as(f.net));

    c.weight_limit = T(0);
    c.lr_w = T(-1);
    online_sgd<T> neg(c);
    TL_CHECK(neg.step(f.net, f.x, T(1)).status == step_status::bad_config);
    c.lr_w = quiet_nan<T>();
    online_sgd<T> nan_rate(c);
    TL_CHECK(nan_rate.step(f.net, f.x, T(1)).status == step_status::bad_config);
    TL_CHECK(before.same_as(f.net));
}

// The second layer and the biases are checked through a buffer when P is in the type, value by
// value otherwise (a dynamic network_ref): both give the same verdicts and the same bits.
template <class T>
void second_layer_paths_agree() {
    using dyn_ref = network_ref<T, dynamic_extent, dynamic_extent, act::tanh>;
    auto run = [](const train_config<T>& c, T y, bool dynamic, fixture<T>& f) {
        online_sgd<T> sgd(c);
        return dynamic ? sgd.step(dyn_ref(f.net.ref()), vec_view<const T>(f.x), y).status
                       : sgd.step(f.net, f.x, y).status;
    };
    struct scenario {
        T lr_w, lr_v, lr_b, limit;
        step_status expected;
    };
    const scenario cases[] = {
        {T(0.5), T(0.5), T(0.5), T(0), step_status::ok},
        {T(0), T(format_traits<T>::max / 2), T(0), T(0), step_status::nonfinite_update},  // v overflows
        {T(0), T(0), T(format_traits<T>::max / 2), T(0), step_status::nonfinite_update},  // b overflows
        {T(0), T(1e6), T(0), T(1e3), step_status::weight_limit_exceeded},                   // v past the limit
        {T(0), T(0), T(1e6), T(1e3), step_status::weight_limit_exceeded},                   // b past the limit
    };
    for (const scenario& sc : cases) {
        train_config<T> c;
        c.lr_w = sc.lr_w;
        c.lr_v = sc.lr_v;
        c.lr_b = sc.lr_b;
        c.weight_limit = sc.limit;
        fixture<T> a, b;
        // Without the output bias, whose check would catch a huge bias rate first.
        a.net.use_output_bias(false);
        b.net.use_output_bias(false);
        tl_test::weight_snapshot<decltype(a.net)> before(a.net);
        const step_status sa = run(c, T(30), false, a), sb = run(c, T(30), true, b);
        TL_CHECK(sa == sc.expected);
        TL_CHECK(sb == sc.expected);
        tl_test::weight_snapshot<decltype(a.net)> after_b(b.net);
#if !defined(__FAST_MATH__)
        TL_CHECK(after_b.same_as(a.net));  // the same bits either way
#else
        // Not under -ffast-math: its -freciprocal-math lets the compiler turn a division by a
        // constant (the static N's scale) into a multiplication by its rounded reciprocal in one
        // path and not in the other (measured: the bits differ; with -fno-reciprocal-math they
        // agree). The statuses above, what the guard promises, still agree.
#endif
        if (sc.expected != step_status::ok) TL_CHECK(before.same_as(a.net));
        else TL_CHECK(!before.same_as(a.net));
    }
}

template <class T>
void batch_rejects() {
    constexpr index_t M = 10;
    fixture<T> f;
    gaussian_rng g(3);
    dataset<T, M, N> data;
    tl_test::fill_gaussian(data, g, /*labels=*/true);
    gd_trainer<T, N, P> gd;
    tl_test::weight_snapshot<decltype(f.net)> before(f.net);

    data.X(7, 2) = quiet_nan<T>();
    step_result<T> r = gd.full_batch(f.net, data);
    TL_CHECK(r.status == step_status::nonfinite_input && r.sample == 7);
    data.X(7, 2) = T(0);
    data.y[4] = inf<T>();
    r = gd.full_batch(f.net, data);
    TL_CHECK(r.status == step_status::nonfinite_label && r.sample == 4);
    data.y[4] = T(0);
    TL_CHECK(gd.minibatch(f.net, data, 0, 0).status == step_status::empty_batch);
    TL_CHECK(before.same_as(f.net));

    for (index_t mu = 0; mu < M; ++mu) data.y[mu] = T(1000);  // large error, large gradient
    gd.config.lr_w = T(format_traits<T>::max / 2);  // finite, absurd: the update overflows
    TL_CHECK(gd.full_batch(f.net, data).status == step_status::nonfinite_update);
    TL_CHECK(before.same_as(f.net));
    gd.config.lr_w = T(0.1);
    TL_CHECK(gd.full_batch(f.net, data).ok());
    TL_CHECK(!before.same_as(f.net));
    TL_CHECK(gd.steps() == 1 && gd.rejected() == 4);
}

}  // namespace

TL_TEST(online_rejects_bad_input_double) { online_rejects_bad_input<double>(); }
TL_TEST(online_rejects_bad_input_float) { online_rejects_bad_input<float>(); }
TL_TEST(online_rejects_exploding_rate_double) { online_rejects_exploding_rate<double>(); }
TL_TEST(online_rejects_exploding_rate_float) { online_rejects_exploding_rate<float>(); }
TL_TEST(online_weight_limit_and_config_double) { online_weight_limit_and_config<double>(); }
TL_TEST(online_weight_limit_and_config_float) { online_weight_limit_and_config<float>(); }
TL_TEST(second_layer_paths_agree_double) { second_layer_paths_agree<double>(); }
TL_TEST(second_layer_paths_agree_float) { second_layer_paths_agree<float>(); }
TL_TEST(batch_rejects_double) { batch_rejects<double>(); }
TL_TEST(batch_rejects_float) { batch_rejects<float>(); }

// The cheap bound and the exact check must accept the same steps: with one weight near the top
// of the range the bound is too loose, the exact check runs, and a small step still goes through.
TL_TEST(exact_check_accepts_what_the_bound_cannot_prove) {
    fixture<float> f;
    f.net.W_mut()(1, 1) = 1e37f;
    train_config<float> c;
    c.lr_w = 1e-3f;
    online_sgd<float> sgd(c);
    network<float, N, P, act::tanh> copy = f.net;
    const step_result<float> r = sgd.step(f.net, f.x, 0.0f);
    TL_REQUIRE(r.ok());
    // The same update computed here by hand, element by element.
    copy.forward(f.x);
    backward_signal(copy);
    const float alpha = -c.lr_w * (copy.output() - 0.0f) * inv_sqrt<float>(N);
    for (index_t k = 0; k < P; ++k)
        for (index_t j = 0; j < N; ++j)
            TL_CHECK(f.net.W()(k, j) == copy.W()(k, j) + (alpha * copy.ref().delta[k]) * f.x[j]);
}

// The reference: the plain loop, kept scalar. Under -ffast-math GCC vectorizes it, and Helium's
// vector float max flushes the subnormal samples (1e-40) to zero, which the scalar FPU keeps
// (cortex-m55, test_guard_fast_math: every 1e-40 case differed).
template <class T>
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-vectorize")))
#endif
T plain_absmax(const T* x, index_t n) {
    T ref(0);
    for (index_t i = 0; i < n; ++i) ref = std::fabs(x[i]) > ref ? T(std::fabs(x[i])) : ref;
    return ref;
}

template <class T>
static int scan_mismatches() {
    // The integer-max scan against the plain loop: the same largest magnitude, and any NaN or
    // +-Inf anywhere (first, last, middle) makes the sample non-finite. Sizes around 8: the
    // Thumb-2 scan (kernels::absmax on dsp, kernels/dsp_scan_asm.hpp) takes blocks of eight and leaves the rest to C.
    gaussian_rng g(71);
    static T x[257];
    int bad = 0;
    for (index_t n : {index_t(1), index_t(2), index_t(7), index_t(8), index_t(9), index_t(16), index_t(23),
                      index_t(64), index_t(257)}) {
        for (int rep = 0; rep < 20; ++rep) {
            for (index_t i = 0; i < n; ++i) x[i] = T(g.next() * (rep % 3 == 0 ? 1e-40 : 3.0));
            const T ref = plain_absmax(x, n);
            const guard::scan_result<T> r = guard::scan<T>(vec_view<const T>(x, n));
            bad += !r.finite || r.absmax != ref;
            for (T special : {quiet_nan<T>(), tl_test::from_bits<T>(tl_test::bits_of(quiet_nan<T>()) | tl_test::bits_of(T(-0.0))),
                              inf<T>(), tl_test::from_bits<T>(tl_test::bits_of(inf<T>()) | tl_test::bits_of(T(-0.0)))}) {
                for (index_t at : {index_t(rep) % n, n - 1 - index_t(rep) % n}) {
                    const T keep = x[at];
                    x[at] = special;
                    bad += guard::scan<T>(vec_view<const T>(x, n)).finite;
                    x[at] = keep;
                }
            }
        }
    }
    return bad;
}

TL_TEST(sample_scan_finds_largest_magnitude_and_any_nonfinite) {
    TL_CHECK(scan_mismatches<float>() == 0);
    TL_CHECK(scan_mismatches<double>() == 0);
}
