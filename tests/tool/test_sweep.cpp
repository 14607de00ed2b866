// The pieces of `twolayer sweep` (src/tool/sweep) that its end-to-end test cannot see: the RAM
// figures against sizeof of the library's static types, the chains' skipping of refused steps,
// and the figures read off a curve.
#include <gtest/gtest.h>

#include <cmath>

#include "sim_test_util.hpp"
#include "tool/sweep/curve.hpp"
#include "tool/sweep/ram.hpp"
#include "twolayer/train/master.hpp"

namespace {

using namespace twolayer;
using namespace twolayer::tool;
using namespace tl_sim_test;

// The network a device trains with format F: float and double take the fused step, which needs
// lookahead_network's copy of the next sample; the other formats a plain network.
template <class F, index_t N, index_t P>
using device_network = std::conditional_t<is_native_v<F>, lookahead_network<F, N, P, act::erf>, network<F, N, P, act::erf>>;

// network_bytes and master_bytes against sizeof of the real types, at N = 64 and 256 and
// P = 1, 3, 32, for format F spelled `name`.
template <class F>
void expect_layout(const char* name) {
    const sweep::grid_format f{name, name, rounding_mode::nearest, false};
    const sweep::type_sizes t = sweep::sizes_of(f);
    EXPECT_EQ(t.storage, sizeof(storage_t<F>));
#define TL_EXPECT_SIZES(N, P)                                                                        \
    EXPECT_EQ(sweep::network_bytes(t, N, P), sizeof(device_network<F, N, P>)) << name;                \
    EXPECT_EQ(sweep::master_bytes(t, N, P), sizeof(master_weights<F, N, P>)) << name;
    TL_EXPECT_SIZES(64, 1)
    TL_EXPECT_SIZES(64, 3)
    TL_EXPECT_SIZES(64, 32)
    TL_EXPECT_SIZES(256, 1)
    TL_EXPECT_SIZES(256, 3)
    TL_EXPECT_SIZES(256, 32)
#undef TL_EXPECT_SIZES
}

TEST(SweepRam, LayoutEqualsSizeofOfTheStaticTypes) {
    expect_layout<double>("double");
    expect_layout<float>("float");
    expect_layout<f16>("f16");
    expect_layout<bf16>("bf16");
    expect_layout<q3_12>("q3_12");
    expect_layout<q4_27>("q4_27");
    expect_layout<mixed<bf16, double>>("bf16/double");
    expect_layout<mixed<q3_12, double>>("q3_12/double");
}

TEST(SweepRam, MasterAndStochasticRoundingCostTheirBytes) {
    const sweep::grid_format plain{"bf16", "bf16", rounding_mode::nearest, false};
    const sweep::grid_format sr{"bf16+sr", "bf16", rounding_mode::stochastic, false};
    const sweep::grid_format master{"bf16+master", "bf16", rounding_mode::nearest, true};
    const sweep::type_sizes t = sweep::sizes_of(plain);
    EXPECT_EQ(sweep::ram_bytes(master, 64, 8) - sweep::ram_bytes(plain, 64, 8), sweep::master_bytes(t, 64, 8));
    EXPECT_GT(sweep::ram_bytes(sr, 64, 8), sweep::ram_bytes(plain, 64, 8));  // the rounding's Philox state
}

// Diverging x^2 units (as tool_sim.Divergence): a chain that skips refused steps runs every step,
// counts the refused ones, and until the first of them is the chain that stops there.
TEST(SweepChain, SkippedRefusedStepsAreCountedAndTheChainGoesOn) {
    train_settings s = small_settings(40, 2, 2, "double");
    s.model.act = s.model.teacher_act = activation_id::quadratic;
    s.training.lr = 50;
    chain_under_test stops(s, 4);
    const advance_result a = stops.c->advance(400);
    ASSERT_NE(a.status, step_status::ok);
    ASSERT_LT(a.done, 400u);
    s.skip_refused = true;
    chain_under_test skips(s, 4);
    const advance_result head = skips.c->advance(a.done);
    EXPECT_EQ(head.refused, 0u);
    std::vector<double> W1, v1, W2, v2;
    stops.c->student_weights(W1, v1);
    skips.c->student_weights(W2, v2);
    EXPECT_TRUE(same_bits(W1, W2) && same_bits(v1, v2));
    const advance_result rest = skips.c->advance(400 - a.done);
    EXPECT_EQ(rest.status, step_status::ok);
    EXPECT_EQ(rest.done, 400 - a.done);
    EXPECT_GE(rest.refused, 1u);
    EXPECT_LE(rest.refused, rest.done);
}

TEST(SweepCurve, ThresholdAndPlateauEscape) {
    sweep::curve c;
    c.steps = {0, 10, 20, 40, 80, 160};
    c.eps_g = {0.4, 0.1, 0.05, 0.04, 0.004, 0.001};
    EXPECT_EQ(sweep::steps_to_reach(c, 0.05), 20.0);
    EXPECT_EQ(sweep::steps_to_reach(c, 0.001), 160.0);
    EXPECT_TRUE(std::isinf(sweep::steps_to_reach(c, 1e-4)));
    // plateau at step 20 (0.05): below 0.1 x 0.05 first at step 80, t = 80 / N
    EXPECT_EQ(sweep::escape_time(c, 20, 0.1, 40), 2.0);
    EXPECT_TRUE(std::isinf(sweep::escape_time(c, 20, 0.01, 40)));
    EXPECT_EQ(sweep::measurement_steps(100, 3, 50), (std::vector<std::uint64_t>{0, 1, 10, 50, 100}));
}

}  // namespace
