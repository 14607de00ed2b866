// The fused online SGD step, step(net, x, y, x_next) (train/online_sgd.hpp): the update of step t
// and the forward pass of step t + 1 in one pass over W.
//  - It gives the same bits as the separate step (weights, biases, losses), on arch::scalar and on
//    the build's default arch, for float and double, with and without biases and weight decay,
//    on static and dynamic views; the tolerance is zero because the fused kernel sums in the
//    order of the arch's own gemv. Other formats run the separate step (also the same bits).
//  - Pre-activations computed ahead are used only while valid: a different sample, the same
//    buffer overwritten (also one sign, or two elements 16 apart swapped: the sample is compared
//    bit for bit with the network's copy), weights or biases changed, forward() or another step in
//    between all make the step run its own forward pass (reused_forwards() tells), and the
//    results stay those of the separate step (tests/test_guard_structure.cpp: more of this).
//  - The guard: a rejected step, fused or consuming a fused step's work, leaves every weight as
//    it was.
#include <cmath>
#include <cstring>
#include <limits>

#include "test_util.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 37, P = 5;  // N: not a multiple of any vector width; P: a block of 4 and 1
constexpr int steps = 200;

template <class F>
struct samples {
    storage_t<F> x[steps + 1][N];
    compute_t<F> y[steps + 1];
    explicit samples(std::uint64_t seed) {
        gaussian_rng g(seed);
        for (auto& row : x)
            for (auto& xi : row) xi = store_as<F>(compute_t<F>(g.next()));
        for (int t = 0; t <= steps; ++t)
            y[t] = compute_t<F>(0.5 * double(value_of<F>(x[t][0])) - 0.25 * double(value_of<F>(x[t][1])) + 0.1);
    }
    vec_view<const storage_t<F>, N> view(int t) const { return vec_view<const storage_t<F>, N>(x[t]); }
};

template <class F>
train_config<compute_t<F>> config(bool decay) {
    train_config<compute_t<F>> c;
    c.lr_w = compute_t<F>(0.5);
    c.lr_v = compute_t<F>(0.5);
    c.lr_b = compute_t<F>(0.5);
    if (decay) {
        c.weight_decay_w = compute_t<F>(0.01);
        c.weight_decay_v = compute_t<F>(0.02);
    }
    return c;
}

// Two identical networks (the fixture's pair, seed 5), with or without biases.
template <class F, class Act = act::erf>
void init_pair(lookahead_network<F, N, P, Act>& a, lookahead_network<F, N, P, Act>& b, bool biases) {
    static tl_test::network_pair<F, N, P, Act> pair(5, second_layer_init::inv_sqrt_p);
    a = pair.a;
    b = pair.b;
    a.use_hidden_bias(biases);
    a.use_output_bias(biases);
    b.use_hidden_bias(biases);
    b.use_output_bias(biases);
    if (biases) {
        for (index_t k = 0; k < P; ++k) a.hidden_bias_mut()[k] = b.hidden_bias_mut()[k] = store_as<F>(compute_t<F>(0.1 * double(k)));
    }
}

// `steps` separate steps on a, fused steps on b (through a dynamic reference if asked); every
// other step b gets its x in a copy of the sample, so the match is by content, not by address.
template <class F, class Arch, class Act = act::erf>
void fused_equals_separate(bool biases, bool decay, bool dynamic) {
    static samples<F> s(11);
    static lookahead_network<F, N, P, Act> a, b;
    init_pair(a, b, biases);
    online_sgd<F> sa(config<F>(decay)), sb(config<F>(decay));
    storage_t<F> copy[N];
    bool same_loss = true;
    for (int t = 0; t < steps; ++t) {
        vec_view<const storage_t<F>, N> xb = s.view(t);
        if (t % 2) {
            std::memcpy(copy, s.x[t], sizeof copy);
            xb = vec_view<const storage_t<F>, N>(copy);
        }
        const step_result<compute_t<F>> ra = sa.step(a, s.view(t), s.y[t], Arch{});
        step_result<compute_t<F>> rb;
        if (dynamic) {
            network_ref<F, dynamic_extent, dynamic_extent, Act> ref = b.ref();
            rb = sb.step(ref, vec_view<const storage_t<F>>(xb), s.y[t], vec_view<const storage_t<F>>(s.view(t + 1)),
                         Arch{});
        } else {
            rb = sb.step(b, xb, s.y[t], s.view(t + 1), Arch{});
        }
        TL_REQUIRE(ra.ok() && rb.ok());
        same_loss = same_loss && std::memcmp(&ra.loss, &rb.loss, sizeof ra.loss) == 0;
    }
    const bool native = is_native_v<F>;
    TL_INFO("    %s, %s, biases %d, decay %d, dynamic %d: reused %llu of %d forward passes\n", format_traits<F>::name,
            Arch::name, int(biases), int(decay), int(dynamic), (unsigned long long)sb.reused_forwards(), steps);
    TL_CHECK(same_loss);
    TL_CHECK((tl_test::weight_snapshot<lookahead_network<F, N, P, Act>>(a).same_as(b)));
    TL_CHECK(sb.reused_forwards() == (native ? std::uint64_t(steps - 1) : 0u));
    TL_CHECK(sb.steps() == std::uint64_t(steps));
}

template <class F, class Arch>
void fused_equals_separate_all() {
    for (int biases = 0; biases < 2; ++biases)
        for (int decay = 0; decay < 2; ++decay) fused_equals_separate<F, Arch>(biases != 0, decay != 0, false);
    fused_equals_separate<F, Arch>(true, true, true);
}

// One fused step (x0 -> x1) on b and the separate step on a; then `between` on both networks and
// a buffer each holding x1; then one more step on x from that buffer. b must not reuse, and both
// must agree bit for bit. between(net, buf) returns nothing.
template <class Between>
void stale_case(const char* what, Between between, bool expect_reuse = false) {
    using F = float;
    static samples<F> s(21);
    static lookahead_network<F, N, P> a, b;
    init_pair(a, b, true);
    online_sgd<F> sa(config<F>(false)), sb(config<F>(false));
    TL_REQUIRE(sa.step(a, s.view(0), s.y[0]).ok());
    TL_REQUIRE(sb.step(b, s.view(0), s.y[0], s.view(1)).ok());
    float buf_a[N], buf_b[N];
    std::memcpy(buf_a, s.x[1], sizeof buf_a);
    std::memcpy(buf_b, s.x[1], sizeof buf_b);
    between(a, buf_a);
    between(b, buf_b);
    TL_REQUIRE(sa.step(a, buf_a, s.y[1]).ok());
    TL_REQUIRE(sb.step(b, buf_b, s.y[1], s.view(2)).ok());
    TL_INFO("    %s: reused %llu\n", what, (unsigned long long)sb.reused_forwards());
    TL_CHECK(sb.reused_forwards() == (expect_reuse ? 1u : 0u));
    TL_CHECK((tl_test::weight_snapshot<lookahead_network<F, N, P>>(a).same_as(b)));
}

}  // namespace

TL_TEST(fused_step_same_bits_as_separate_float_scalar) { fused_equals_separate_all<float, arch::scalar>(); }
TL_TEST(fused_step_same_bits_as_separate_double_scalar) { fused_equals_separate_all<double, arch::scalar>(); }
TL_TEST(fused_step_same_bits_as_separate_float_default_arch) { fused_equals_separate_all<float, arch::default_arch>(); }
TL_TEST(fused_step_same_bits_as_separate_double_default_arch) {
    fused_equals_separate_all<double, arch::default_arch>();
}
TL_TEST(fused_step_other_formats_run_the_separate_step) {
    fused_equals_separate<bf16, arch::default_arch>(true, true, false);
    fused_equals_separate<q3_12, arch::default_arch>(true, false, false);
}
TL_TEST(fused_step_relu_and_tanh) {
    fused_equals_separate<float, arch::default_arch, act::relu>(true, false, false);
    fused_equals_separate<double, arch::default_arch, act::tanh>(false, true, false);
}

TL_TEST(fused_step_reuses_only_valid_pre_activations) {
    using Net = lookahead_network<float, N, P>;
    stale_case("nothing in between (reused)", [](Net&, float*) {}, true);
    stale_case("the buffer overwritten with another sample", [](Net&, float* x) {
        gaussian_rng g(3);
        for (index_t j = 0; j < N; ++j) x[j] = g.gaussian<float>();
    });
    stale_case("one element changed", [](Net&, float* x) { x[N - 1] = std::nextafter(x[N - 1], 10.0f); });
    stale_case("two elements swapped", [](Net&, float* x) {
        const float t = x[3]; x[3] = x[20]; x[20] = t;
    });
    stale_case("elements 16 apart swapped", [](Net&, float* x) {
        const float t = x[0]; x[0] = x[16]; x[16] = t;
    });
    stale_case("a sign flipped", [](Net&, float* x) { x[N - 1] = -x[N - 1]; });
    stale_case("W written (W_mut)", [](Net& n, float*) { n.W_mut()(2, 3) += 0.25f; });
    stale_case("hidden bias written", [](Net& n, float*) { n.hidden_bias_mut()[1] += 0.25f; });
    stale_case("hidden bias switched off", [](Net& n, float*) { n.use_hidden_bias(false); });
    stale_case("W written through a reference, then weights_changed", [](Net& n, float*) {
        auto r = n.ref();
        r.W(0, 0) = r.W(0, 0) * 0.5f;
        r.weights_changed();
    });
    stale_case("forward() on another input", [](Net& n, float*) {
        float z[N];
        gaussian_rng g(4);
        for (auto& zi : z) zi = g.gaussian<float>();
        n.forward(z);
    });
    stale_case("a separate step on another sample", [](Net& n, float*) {
        float z[N];
        gaussian_rng g(6);
        for (auto& zi : z) zi = g.gaussian<float>();
        online_sgd<float> other;
        TL_REQUIRE(other.step(n, z, 0.5f).ok());
    });
    stale_case("a full-batch GD step", [](Net& n, float*) {
        static dataset<float, 4, N> data;
        gaussian_rng g(8);
        tl_test::fill_gaussian(data, g);
        for (index_t mu = 0; mu < 4; ++mu) data.y[mu] = 0.5f;
        gd_trainer<float, N, P> gd;
        TL_REQUIRE(gd.full_batch(n, data).ok());
    });
    stale_case("the second layer written (does not enter lambda: reused)", [](Net& n, float*) {
        n.v_mut()[0] = n.v_mut()[0] * 2.0f;
    }, true);
}

TL_TEST(rejected_fused_steps_change_nothing) {
    using F = float;
    static samples<F> s(31);
    static lookahead_network<F, N, P> net;
    gaussian_rng g(7);
    init_network(net, g);
    net.use_hidden_bias(true);
    net.use_output_bias(true);
    online_sgd<F> sgd(config<F>(true));
    using snap = tl_test::weight_snapshot<lookahead_network<F, N, P>>;
    const float nan = std::nanf("");

    // rejected before any pre-activation is computed ahead
    snap s0(net);
    TL_CHECK(sgd.step(net, s.view(0), nan, s.view(1)).status == step_status::nonfinite_label);
    TL_CHECK(s0.same_as(net));

    // accepted; then a step that uses the pre-activations computed ahead and is refused by a
    // weight limit the update would cross: nothing written
    TL_REQUIRE(sgd.step(net, s.view(0), s.y[0], s.view(1)).ok());
    snap s1(net);
    online_sgd<F> tight(config<F>(false));
    tight.config.weight_limit = 1e-3f;
    TL_CHECK(tight.step(net, s.view(1), s.y[1] + 50.0f, s.view(2)).status == step_status::weight_limit_exceeded);
    TL_CHECK(tight.reused_forwards() == 1u);
    TL_CHECK(s1.same_as(net));
    // the refusal consumed them: the next step runs its own forward pass
    TL_REQUIRE(sgd.step(net, s.view(1), s.y[1], s.view(2)).ok());
    TL_CHECK(sgd.reused_forwards() == 0u);

    // a refused label, after a fused step: nothing written
    snap s2(net);
    TL_CHECK(sgd.step(net, s.view(2), nan, s.view(3)).status == step_status::nonfinite_label);
    TL_CHECK(s2.same_as(net));

    // a non-finite next sample: this step is fine; the next one refuses it, writing nothing
    float bad[N];
    std::memcpy(bad, s.x[3], sizeof bad);
    bad[5] = std::numeric_limits<float>::infinity();
    TL_REQUIRE(sgd.step(net, s.view(2), s.y[2], bad).ok());
    snap s3(net);
    TL_CHECK(sgd.step(net, bad, s.y[3], s.view(4)).status == step_status::nonfinite_input);
    TL_CHECK(s3.same_as(net));
}

TL_TEST(fused_step_same_as_separate_after_a_refusal) {
    // the run above, on two networks: a takes only separate steps; b fused ones and a refused one
    using F = double;
    static samples<F> s(41);
    static lookahead_network<F, N, P> a, b;
    init_pair(a, b, true);
    online_sgd<F> sa(config<F>(true)), sb(config<F>(true));
    for (int t = 0; t < 20; ++t) {
        TL_REQUIRE(sa.step(a, s.view(t), s.y[t]).ok());
        TL_REQUIRE(sb.step(b, s.view(t), s.y[t], s.view(t + 1)).ok());
        if (t == 10) TL_CHECK(!sb.step(b, s.view(t + 1), std::nan(""), s.view(t + 2)).ok());
    }
    // steps 1..10 and 12..19 reuse; the refused step (its label is checked before the forward
    // pass) consumed the work of step 10, so step 11 runs its own forward pass
    TL_CHECK(sb.reused_forwards() == 18u);
    TL_CHECK((tl_test::weight_snapshot<lookahead_network<F, N, P>>(a).same_as(b)));
}
