// Gradient descent-ascent between two networks (train/gda.hpp), on every preset:
//   - one alternating and one simultaneous step against an independent long-double computation
//     of the same step (the outputs, dL/du and dL/dv of the hidden convex-concave game, each
//     player's gradient written out by the chain rule, the update), with biases on the max player;
//   - the bilinear game L = u^T B v with both players' readouts trained (the game is then
//     bilinear in the parameters, as in the classic analysis): simultaneous GDA's distance to the
//     equilibrium grows geometrically, alternating GDA's stays bounded;
//   - the hidden convex-concave game converges to u = v = 0 for a wide pair (P = 16 on M = 4
//     inputs, every layer trained; a float min player against a double max player);
//   - refused steps (a NaN in B, a NaN input, a game without B, the max player's update past its
//     weight limit after the min player's passed) leave both players byte-identical, in both modes.
#include "nonfinite.hpp"
#include "test_util.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 3, M = 3;
using min_net = network<double, N, 2, act::tanh>;
using max_net = network<double, N, 3, act::tanh>;
using data_t = dataset<double, M, N>;
using game_t = hidden_convex_concave_game<double, M>;
using gda_t = gda_trainer<min_net, max_net, M, game_t>;

const double B_hand[M * M] = {0.7, -0.4, 0.2, 0.3, 0.5, -0.6, -0.2, 0.1, 0.9};

// A player as long doubles: out(z) = sum_k v_k tanh(w_k . z / sqrt N + b_k) + c.
template <index_t P>
struct ref_player {
    long double W[P][N], v[P], b[P], c;
    bool hb, ob;
    template <class Net>
    explicit ref_player(const Net& n) : c(n.output_bias()), hb(n.uses_hidden_bias()), ob(n.uses_output_bias()) {
        for (index_t k = 0; k < P; ++k) {
            for (index_t j = 0; j < N; ++j) W[k][j] = n.W()(k, j);
            v[k] = n.v()[k];
            b[k] = n.hidden_bias()[k];
        }
    }
    long double pre(index_t k, const double* z) const {
        long double s = 0;
        for (index_t j = 0; j < N; ++j) s += W[k][j] * z[j];
        return s / std::sqrt((long double)N) + (hb ? b[k] : 0.0L);
    }
    long double out(const double* z) const {
        long double y = ob ? c : 0.0L;
        for (index_t k = 0; k < P; ++k) y += v[k] * std::tanh(pre(k, z));
        return y;
    }
    // theta += sign lr grad_theta sum_i w_i out(z_i), every parameter at once (lr the same for all).
    void step(const data_t& z, const long double* w, long double sign, long double lr) {
        long double dW[P][N] = {}, dv[P] = {}, db[P] = {}, dc = 0;
        for (index_t i = 0; i < M; ++i) {
            const double* zi = z.X.view().row(i).data();
            for (index_t k = 0; k < P; ++k) {
                const long double t = std::tanh(pre(k, zi));
                const long double delta = v[k] * (1 - t * t);
                for (index_t j = 0; j < N; ++j) dW[k][j] += w[i] * delta * zi[j] / std::sqrt((long double)N);
                dv[k] += w[i] * t;
                db[k] += w[i] * delta;
            }
            dc += w[i];
        }
        for (index_t k = 0; k < P; ++k) {
            for (index_t j = 0; j < N; ++j) W[k][j] += sign * lr * dW[k][j];
            v[k] += sign * lr * dv[k];
            if (hb) b[k] += sign * lr * db[k];
        }
        if (ob) c += sign * lr * dc;
    }
    template <class Net>
    long double max_diff(const Net& n) const {
        long double d = std::fabs(c - (long double)n.output_bias());
        for (index_t k = 0; k < P; ++k) {
            for (index_t j = 0; j < N; ++j) d = std::fmax(d, std::fabs(W[k][j] - (long double)n.W()(k, j)));
            d = std::fmax(d, std::fabs(v[k] - (long double)n.v()[k]));
            d = std::fmax(d, std::fabs(b[k] - (long double)n.hidden_bias()[k]));
        }
        return d;
    }
};

// The game's derivatives at (u, v): du = u + B v, dv = -v + B^T u.
void game_grads(const long double* u, const long double* v, long double* du, long double* dv) {
    for (index_t i = 0; i < M; ++i) {
        du[i] = u[i];
        dv[i] = -v[i];
        for (index_t j = 0; j < M; ++j) {
            du[i] += B_hand[i * M + j] * v[j];
            dv[i] += B_hand[j * M + i] * u[j];
        }
    }
}

struct hand_setup {
    min_net a;
    max_net b;
    data_t z;
    hand_setup() {
        gaussian_rng g(31);
        init_network(a, g);
        init_network(b, g);
        b.use_hidden_bias(true);
        b.use_output_bias(true);
        for (index_t k = 0; k < 3; ++k) b.hidden_bias_mut()[k] = 0.1 * double(k) - 0.05;
        b.set_output_bias(0.2);
        tl_test::fill_gaussian(z.X.view().flat(), g);
    }
};

constexpr double lr_a = 0.3, lr_b = 0.2;

void set_rates(gda_t& t) {
    t.config_min.lr_w = t.config_min.lr_v = t.config_min.lr_b = lr_a;
    t.config_max.lr_w = t.config_max.lr_v = t.config_max.lr_b = lr_b;
}

// One step by hand, in long double, in either mode.
void hand_step(const hand_setup& s, bool alternating, ref_player<2>& ra, ref_player<3>& rb, long double& value) {
    long double u[M], v[M], du[M], dv[M];
    for (index_t i = 0; i < M; ++i) {
        u[i] = ra.out(s.z.X.view().row(i).data());
        v[i] = rb.out(s.z.X.view().row(i).data());
    }
    value = 0;
    for (index_t i = 0; i < M; ++i) {
        value += 0.5L * (u[i] * u[i] - v[i] * v[i]);
        for (index_t j = 0; j < M; ++j) value += u[i] * B_hand[i * M + j] * v[j];
    }
    game_grads(u, v, du, dv);
    ra.step(s.z, du, -1, lr_a);
    if (alternating) {
        long double u2[M];
        for (index_t i = 0; i < M; ++i) u2[i] = ra.out(s.z.X.view().row(i).data());
        game_grads(u2, v, du, dv);
    }
    rb.step(s.z, dv, +1, lr_b);
}

TL_TEST(one_step_against_hand_computation) {
    long double dmin[2], dmax[2];
    for (int alt = 0; alt < 2; ++alt) {
        hand_setup s;
        ref_player<2> ra(s.a);
        ref_player<3> rb(s.b);
        long double value = 0;
        hand_step(s, alt == 1, ra, rb, value);
        gda_t t(game_t(mat_view<const double, M, M>(B_hand)), alt ? gda_mode::alternating : gda_mode::simultaneous);
        set_rates(t);
        const gda_result<double> r = t.step(s.a, s.b, s.z);
        TL_REQUIRE(r.ok());
        TL_CHECK(t.steps() == 1);
        TL_CHECK_NEAR(r.value, value, 1e-13);
        dmin[alt] = ra.max_diff(s.a);
        dmax[alt] = rb.max_diff(s.b);
        TL_INFO("    %s: max |w - hand| min player %.2e, max player %.2e\n", alt ? "alternating" : "simultaneous",
                double(dmin[alt]), double(dmax[alt]));
        TL_CHECK(dmin[alt] < 1e-13);
        TL_CHECK(dmax[alt] < 1e-13);
    }
    // The modes differ in the max player's step only (the min player's is the same).
    hand_setup s0, s1;
    gda_t alt(game_t(mat_view<const double, M, M>(B_hand)), gda_mode::alternating);
    gda_t sim(game_t(mat_view<const double, M, M>(B_hand)), gda_mode::simultaneous);
    set_rates(alt);
    set_rates(sim);
    TL_REQUIRE(alt.step(s0.a, s0.b, s0.z).ok() && sim.step(s1.a, s1.b, s1.z).ok());
    TL_CHECK(tl_test::weight_snapshot<min_net>(s0.a).same_as(s1.a));
    TL_CHECK(!tl_test::weight_snapshot<max_net>(s0.b).same_as(s1.b));
}

// ---- Bilinear game: simultaneous spirals out, alternating stays bounded --------------------------

constexpr index_t NB = 4, MB = 4, PB = 6;
using bnet = network<double, NB, PB, act::tanh>;
using bdata = dataset<double, MB, NB>;
using bgame = bilinear_game<double, MB>;

// Up to `steps` steps, stopping at the first refused one (a run diverging past the guard's
// ceiling): the distance to the equilibrium before the first, the largest and the last accepted
// step; returns the number of accepted steps.
int bilinear_run(gda_mode mode, bool readout_only, int steps, double& first, double& largest, double& last) {
    gaussian_rng g(5);
    static double B[MB * MB];
    for (double& x : B) x = g.next();
    bnet a, b;
    init_network(a, g);
    init_network(b, g);
    bdata z;
    tl_test::fill_gaussian(z.X.view().flat(), g);
    gda_trainer<bnet, bnet, MB, bgame> t(bgame(mat_view<const double, MB, MB>(B)), mode);
    t.config_min.train_w = t.config_max.train_w = !readout_only;  // readouts only: bilinear in (v_F, v_G)
    t.config_min.lr_w = t.config_max.lr_w = 0.05;
    t.config_min.lr_v = t.config_max.lr_v = 0.05;
    largest = 0;
    for (int s = 0; s < steps; ++s) {
        const gda_result<double> r = t.step(a, b, z);
        if (!r) return s;
        if (s == 0) first = r.distance;
        if (r.distance > largest) largest = r.distance;
        last = r.distance;
    }
    return steps;
}

// Readouts only (the game bilinear in the parameters: simultaneous GDA's growth per step is
// exactly sqrt(1 + lr^2 s^2) per singular value s) and every layer trained (the same picture).
TL_TEST(bilinear_simultaneous_grows_alternating_bounded) {
    constexpr int steps = 1000;
    for (int full = 0; full < 2; ++full) {
        double f_sim = 0, big_sim = 0, end_sim = 0, f_alt = 0, big_alt = 0, end_alt = 0;
        const int n_sim = bilinear_run(gda_mode::simultaneous, full == 0, steps, f_sim, big_sim, end_sim);
        const int n_alt = bilinear_run(gda_mode::alternating, full == 0, steps, f_alt, big_alt, end_alt);
        TL_INFO("    %s: distance simultaneous %.3g -> %.3g (%d steps accepted), alternating %.3g -> %.3g (largest "
                "%.3g)\n", full ? "every layer" : "readouts", f_sim, end_sim, n_sim, f_alt, end_alt, big_alt);
        TL_CHECK(f_sim == f_alt);
        TL_CHECK(end_sim > 1e3 * f_sim);
        TL_CHECK(n_alt == steps);
        TL_CHECK(big_alt < 2 * f_alt);
    }
}

// ---- Hidden convex-concave game: a wide pair converges -----------------------------------------

constexpr index_t NC = 4, MC = 4, PC = 16;
using cmin = network<float, NC, PC, act::tanh>;
using cmax = network<double, NC, PC, act::tanh>;
using cgame = hidden_convex_concave_game<double, MC>;

TL_TEST(hidden_convex_concave_converges_wide_pair) {
    gaussian_rng g(11);
    static double B[MC * MC];
    for (double& x : B) x = g.next();
    cmin a;
    cmax b;
    init_network(a, g);
    init_network(b, g);
    dataset<float, MC, NC> za;
    dataset<double, MC, NC> zb;
    for (index_t i = 0; i < MC * NC; ++i) zb.X.view().flat()[i] = za.X.view().flat()[i] = g.gaussian<float>();
    gda_trainer<cmin, cmax, MC, cgame> t{cgame(mat_view<const double, MC, MC>(B))};
    t.config_min.lr_w = t.config_min.lr_v = 0.05f;
    t.config_max.lr_w = t.config_max.lr_v = 0.05;
    double first = 0, d = 0;
    for (int s = 0; s < 2000; ++s) {
        const gda_result<double> r = t.step(a, b, za, zb);
        TL_REQUIRE(r.ok());
        if (s == 0) first = r.distance;
        d = r.distance;
    }
    const gda_result<double> e = t.evaluate(a, b, za, zb);
    TL_REQUIRE(e.ok());
    TL_INFO("    distance %.3g -> %.3g after 2000 steps\n", first, e.distance);
    TL_CHECK(d < 1e-3 * first);  // the last step's (the float player's rounding sets the floor, ~1e-6)
    TL_CHECK(e.distance < 1e-3 * first);
}

// ---- Refused steps write neither player ---------------------------------------------------------

template <class Check>
void refused_case(const char* what, Check&& setup_and_step) {
    for (int alt = 0; alt < 2; ++alt) {
        hand_setup s;
        const tl_test::weight_snapshot<min_net> sa(s.a);
        const tl_test::weight_snapshot<max_net> sb(s.b);
        const double bound_a = s.a.ref().head->w_absmax_bound(), bound_b = s.b.ref().head->w_absmax_bound();
        const gda_result<double> r = setup_and_step(s, alt ? gda_mode::alternating : gda_mode::simultaneous);
        TL_INFO("    %s (%s): %s\n", what, alt ? "alternating" : "simultaneous", to_string(r.status));
        TL_CHECK(!r.ok());
        TL_CHECK(sa.same_as(s.a));
        TL_CHECK(sb.same_as(s.b));
        TL_CHECK(s.a.ref().head->w_absmax_bound() == bound_a && s.b.ref().head->w_absmax_bound() == bound_b);
    }
}

TL_TEST(refused_step_writes_neither_player) {
    refused_case("NaN in B", [](hand_setup& s, gda_mode mode) {
        static double B[M * M];
        for (index_t i = 0; i < M * M; ++i) B[i] = B_hand[i];
        B[5] = tl_test::quiet_nan<double>();
        gda_t t(game_t(mat_view<const double, M, M>(B)), mode);
        const gda_result<double> r = t.step(s.a, s.b, s.z);
        TL_CHECK(r.status == step_status::nonfinite_output);
        TL_CHECK(t.rejected() == 1 && t.steps() == 0);
        return r;
    });
    refused_case("NaN input", [](hand_setup& s, gda_mode mode) {
        s.z.X(2, 1) = tl_test::quiet_nan<double>();
        gda_t t(game_t(mat_view<const double, M, M>(B_hand)), mode);
        const gda_result<double> r = t.step(s.a, s.b, s.z);
        TL_CHECK(r.status == step_status::nonfinite_input);
        TL_CHECK(r.player == gda_player::min && r.sample == 2);
        return r;
    });
    refused_case("no B (a default game)", [](hand_setup& s, gda_mode mode) {
        gda_t t;
        t.mode = mode;
        const gda_result<double> r = t.step(s.a, s.b, s.z);
        TL_CHECK(r.status == step_status::size_mismatch);
        return r;
    });
    // The min player's update is acceptable; the max player's passes its limit: nothing written.
    refused_case("max player past its weight limit", [](hand_setup& s, gda_mode mode) {
        gda_t t(game_t(mat_view<const double, M, M>(B_hand)), mode);
        set_rates(t);
        t.config_max.lr_w = t.config_max.lr_v = 50;
        t.config_max.weight_limit = 4;
        const gda_result<double> r = t.step(s.a, s.b, s.z);
        TL_CHECK(r.status == step_status::weight_limit_exceeded);
        TL_CHECK(r.player == gda_player::max);
        return r;
    });
}

}  // namespace
