// The acceptance half of the guarded step (issue 13) in the narrow formats: in fixed point an
// accepted step never saturates a value and stays within config.weight_limit, checked in the
// integer domain, and a step that fits is taken, also at the edge of the range; in f16 and bf16
// subnormals the stored value stays within the limit. Float and double are in
// test_guard_soundness.cpp; the common part (cases, paths, the exact check) in guard_soundness.hpp.
#include "guard_soundness.hpp"

using namespace twolayer;
using namespace soundness;

namespace {

// ---- 1. q4_27 near the top of its range: checked in the integer domain -----------------------

using q4_scenario = scenario<q4_27, N4, 1, act::linear>;
constexpr std::int32_t q4_max = 2147483647;

// W00 raw = raw0, v = 1, x = (1, 0, 0, 0), plain scaling, only W trained (or only v): the label
// puts yhat + offset / 2^27 in reach, so the update of the trained weight is about offset / 2
// raw units (the linear unit halves it: lambda = W x / sqrt(4)).
q4_scenario q4_case(std::int32_t w_raw, std::int32_t v_raw, double offset, bool train_v) {
    q4_scenario sc;
    sc.net.W_mut()(0, 0) = q4_27::from_raw(w_raw);
    sc.net.v_mut()[0] = q4_27::from_raw(v_raw);
    sc.x[0] = q4_27(1.0);
    sc.config.train_w = !train_v;
    sc.config.train_v = train_v;
    sc.config.train_b = false;
    const float yhat = sc.net.forward(sc.x);
    sc.y = yhat + float(offset / 134217728.0);
    return sc;
}

TL_TEST(item1_q4_27_never_saturates_in_an_accepted_step) {
    for (double offset : {300.0, 400.0, 2000.0, 1e6}) {
        on_every_path([&] { return q4_case(q4_max - 100, 1 << 27, offset, false); }, any_status, "q4_27 W near +16");
        on_every_path([&] { return q4_case(-q4_max + 100, 1 << 27, -offset, false); }, any_status,
                      "q4_27 W near -16");
        on_every_path([&] { return q4_case(1 << 27, q4_max - 100, offset, true); }, any_status, "q4_27 v near +16");
    }
}

// The step that fits is taken, exactly: W00 moves by its rounded increment and stays below the top.
TL_TEST(item1_q4_27_accepts_what_fits_in_the_integer_domain) {
    for (path p : {path::separate, path::full_batch}) {
        for (bool dynamic : {false, true}) {
            q4_scenario sc = q4_case(q4_max - 1000, 1 << 27, 256.0, false);
            const std::int32_t before = sc.net.W()(0, 0).raw;
            const std::uint32_t sat = saturations<q4_27>();
            const auto r = run(p, dynamic, sc);
            TL_CHECK(r.ok());
            TL_CHECK(sc.net.W()(0, 0).raw > before && sc.net.W()(0, 0).raw < q4_max);
            TL_CHECK(saturations<q4_27>() == sat);
        }
    }
}

// ---- 6. q3_12 near +-8: a step moving inward is accepted -------------------------------------

using q3_scenario = scenario<q3_12, N4, 1, act::linear>;

q3_scenario q3_case(std::int16_t w_raw, double label_shift) {
    q3_scenario sc;
    sc.net.W_mut()(0, 0) = q3_12::from_raw(w_raw);
    sc.x[0] = q3_12(1.0);
    sc.config.train_v = false;
    sc.config.train_b = false;
    sc.config.lr_w = 0.5f;
    const float yhat = sc.net.forward(sc.x);
    sc.y = yhat + float(label_shift);
    return sc;
}

TL_TEST(item6_q3_12_inward_step_near_the_edge_is_accepted) {
    const auto ok_only = [](path, step_status s) { return s == step_status::ok; };
    // W00 = 8 - 5/4096 moving down by about 0.25 * 0.5 = 0.125, and -8 + 5/4096 moving up.
    on_every_path([] { return q3_case(32767 - 5, -0.25); }, ok_only, "q3_12 W near +8, inward");
    on_every_path([] { return q3_case(-32768 + 5, 0.25); }, ok_only, "q3_12 W near -8, inward");
    on_every_path([] { return q3_case(32767, -0.01); }, ok_only, "q3_12 W at the top, inward");
    // A second weight at the edge that the step does not move (x_1 = 0) does not block it.
    on_every_path([] {
        q3_scenario sc = q3_case(4096, -0.25);
        sc.net.W_mut()(0, 1) = q3_12::from_raw(32767 - 3);
        return sc;
    }, ok_only, "q3_12 another weight at +8, untouched");
    // Outward past the edge: refused, range_exceeded.
    const auto range = [](path, step_status s) { return s == step_status::range_exceeded; };
    on_every_path([] { return q3_case(32767 - 5, 0.25); }, range, "q3_12 W near +8, outward");
}

// Stochastic rounding may add floor or ceiling of the increment: both must fit; round to nearest
// adds one integer, the only one checked. q3_12 W00 = 8 - 2 steps (raw_max - 1), increments of 1.4, 0.6, 2.6 steps.
TL_TEST(item1_fixed_point_checks_every_integer_the_rounding_may_pick) {
    for (bool dynamic : {false, true}) {
        struct expect {
            double steps;
            bool nearest_ok, stochastic_ok;
        };
        for (expect e : {expect{1.4, true, false}, expect{0.6, true, true}, expect{2.6, false, false}}) {
            for (bool stochastic : {false, true}) {
                q3_scenario sc = q3_case(32767 - 1, 0.0);
                sc.config.lr_w = 1.0f;
                // W00' = W00 + (y - yhat) / 2 (lr 1, x0 = 1, lambda = W00 / 2): y - yhat = 2 e.steps / 4096.
                const float yhat = sc.net.forward(sc.x);
                sc.y = yhat + float(2 * e.steps / 4096.0);
                tl_test::weight_snapshot<decltype(sc.net)> before(sc.net);
                const std::uint32_t sat = saturations<q3_12>();
                step_status st;
                if (stochastic) {
                    online_sgd<q3_12, squared_loss, stochastic_rounding> sgd(sc.config);
                    st = dynamic ? sgd.step(network_ref<q3_12, dynamic_extent, dynamic_extent, act::linear>(sc.net.ref()),
                                            vec_view<const q3_12>(sc.x, N4), sc.y).status
                                 : sgd.step(sc.net, sc.x, sc.y).status;
                } else {
                    online_sgd<q3_12> sgd(sc.config);
                    st = dynamic ? sgd.step(network_ref<q3_12, dynamic_extent, dynamic_extent, act::linear>(sc.net.ref()),
                                            vec_view<const q3_12>(sc.x, N4), sc.y).status
                                 : sgd.step(sc.net, sc.x, sc.y).status;
                }
                const bool want_ok = stochastic ? e.stochastic_ok : e.nearest_ok;
                TL_CHECK((st == step_status::ok) == want_ok);
                if (!want_ok) TL_CHECK(st == step_status::range_exceeded && before.same_as(sc.net));
                TL_CHECK(saturations<q3_12>() == sat);
            }
        }
    }
}

// ---- 3. f16 and bf16 in the subnormal range --------------------------------------------------

template <class H>
scenario<H, N4, 1, act::linear> subnormal_case(float limit, float step) {
    scenario<H, N4, 1, act::linear> sc;
    sc.x[0] = H(1.0f);
    sc.config.train_v = false;
    sc.config.train_b = false;
    sc.config.weight_limit = limit;
    const float yhat = sc.net.forward(sc.x);  // 0: W = 0
    // W00' = -lr err / 2 = step with lr = 1: err = -2 step.
    sc.y = yhat + 2.0f * step;
    return sc;
}

TL_TEST(item3_f16_and_bf16_subnormals_stay_within_the_limit) {
    // f16: subnormal spacing 2^-24 = 5.96e-8; a limit of 1e-7 admits one unit. 0.95e-7 rounds to
    // two units (1.19e-7): refused; 0.4e-7 rounds to one unit: accepted.
    on_every_path([] { return subnormal_case<f16>(1e-7f, 0.95e-7f); }, any_status, "f16 0.95e-7 at limit 1e-7");
    on_every_path([] { return subnormal_case<f16>(1e-7f, 0.4e-7f); },
                  [](path, step_status s) { return s == step_status::ok; }, "f16 0.4e-7 at limit 1e-7");
    // bf16: subnormal spacing 2^-133 = 9.18e-41.
    on_every_path([] { return subnormal_case<bf16>(1.5e-40f, 1.4e-40f); }, any_status, "bf16 1.4e-40 at 1.5e-40");
    on_every_path([] { return subnormal_case<bf16>(1.5e-40f, 0.6e-40f); },
                  [](path, step_status s) { return s == step_status::ok; }, "bf16 0.6e-40 at 1.5e-40");
}

}  // namespace
