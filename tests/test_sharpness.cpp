// Sharpness and the step-size cap (analysis/sharpness.hpp) on every preset (N = 6, P = 3, M = 24:
// 25 parameters with both biases; one workspace of 25 Lanczos steps for every test):
//   - lambda_max against the eigenvalues of the dense Hessian assembled from H e_i (Jacobi, an
//     independent method): plain, with weight decay, weighted by block rates, restricted to
//     blocks; within the residual bound after fewer steps; bit-identical reruns;
//   - the cap where the stable-rate statement is exact (the loss quadratic in the trained
//     parameters: linear units with the second layer frozen, teacher_student scaling, so the
//     biases move N times slower than W; tanh units with only the second layer trained, plain
//     scaling, weight decay): the cap is 0.9 * 2 / mu of the dense matrix, GD at 1.2 times the
//     stable rate diverges, the capped trainer at the same asked rate decreases the penalized loss
//     at every step;
//   - a tanh teacher-student run with every layer trained: the uncapped rate makes the loss rise,
//     the cap (recomputed every step) decreases it monotonically;
//   - negative curvature and a failed run leave the rates unchanged; a refused capped step writes
//     nothing.
#include "analysis_util.hpp"
#include "twolayer/analysis/sharpness.hpp"

using namespace twolayer;
using tl_test::keep_max;
using tl_test::labels;

namespace {

constexpr index_t N = 6, P = 3, M = 24;
constexpr index_t NP = max_flat_size<N, P>;  // 25
constexpr int steps_run = 60;

template <class Act>
using net_t = network<double, N, P, Act>;
using data_t = dataset<double, M, N>;
using ws_t = sharpness_workspace<double, N, P, NP>;

ws_t ws;  // the one workspace (a static, as on a device)

// The weighted, penalized Hessian D^1/2 (H + diag(pen)) D^1/2 restricted to blocks, densely (from
// H e_i), and its eigenvalues (ascending, na of them: the active dimension).
template <class Net>
index_t dense_spectrum(const Net& net, const data_t& d, hessian_blocks blocks, l2_penalty<double> pen,
                       block_rates D, double* ev) {
    static double H[NP * NP], sub[NP * NP], e[NP], col[NP];
    const bool built = tl_test::dense_hessian(net, d, squared_loss{}, blocks, H, e, col);
    TL_CHECK(built);
    if (!built) return 0;
    const parameter_layout L = parameter_layout_of(net);
    const index_t n = L.size();
    index_t act[NP], na = 0;
    for (index_t i = 0; i < n; ++i)
        if (L.active(i, blocks)) act[na++] = i;
    auto rate = [&](index_t i) { return i < L.v_offset() ? D.w : i < L.b_offset() ? D.v : D.b; };
    for (index_t a = 0; a < na; ++a)
        for (index_t c = 0; c < na; ++c) {
            const index_t i = act[a], j = act[c];
            double h = H[i * n + j];
            if (i == j) h += i < L.v_offset() ? pen.w : i < L.b_offset() ? pen.v : 0.0;
            sub[a * na + c] = std::sqrt(rate(i)) * h * std::sqrt(rate(j));
        }
    tl_test::jacobi_eigenvalues(sub, int(na), ev);
    return na;
}

// Labels from a teacher of the student's type (teacher-student data; inputs N(0, 1)); returns
// the teacher.
template <class Act>
const net_t<Act>& teacher_data(data_t& d, gaussian_rng& g, bool biases) {
    static net_t<Act> teacher;
    tl_test::random_network(teacher, g, biases);
    tl_test::fill_gaussian(d.X.view().flat(), g);
    for (index_t mu = 0; mu < M; ++mu) d.y[mu] = teacher.forward(d.X.view().row(mu));
    return teacher;
}

// The loss the trainers minimize: the mean loss plus the weight decay's penalty.
template <class Act>
double objective(net_t<Act>& net, const data_t& d, const train_config<double>& c) {
    double w2 = 0, v2 = 0;
    for (index_t i = 0; i < N * P; ++i) w2 += net.W().data()[i] * net.W().data()[i];
    for (index_t k = 0; k < P; ++k) v2 += net.v()[k] * net.v()[k];
    return mean_loss(net, d) + 0.5 * (c.weight_decay_w * w2 + c.weight_decay_v * v2);
}

// steps_run full-batch steps with trainer t (gd_trainer or capped_gd_trainer) from net; obj[k]:
// the penalized loss before step k (obj[steps_run]: after the last). Returns the accepted steps.
template <class Act, class T>
int descend(T& t, net_t<Act>& net, const data_t& d, const train_config<double>& c, double* obj) {
    int ok = 0;
    for (int k = 0; k < steps_run; ++k) {
        obj[k] = objective(net, d, c);
        if (t.full_batch(net, d)) ++ok;
    }
    obj[steps_run] = objective(net, d, c);
    return ok;
}

// The rates of c times f.
train_config<double> scaled(train_config<double> c, double f) {
    c.lr_w *= f;
    c.lr_v *= f;
    c.lr_b *= f;
    return c;
}

TL_TEST(sharpness_matches_the_dense_hessian) {
    gaussian_rng g(91);
    static net_t<act::tanh> net;
    static data_t d;
    tl_test::random_network(net, g);
    tl_test::random_dataset(d, g, labels::gaussian);
    static double ev[NP];
    struct variant {
        const char* name;
        sharpness_settings<double> s;
    };
    sharpness_settings<double> decayed;
    decayed.penalty = {0.2, 0.5};
    decayed.rates = {0.3, 2.0, 0.7};
    decayed.blocks = {true, true, false};
    sharpness_settings<double> frozen;
    frozen.blocks = {false, true, true};
    const variant cases[] = {{"plain", {}}, {"decay+rates, no biases", decayed}, {"first layer frozen", frozen}};
    double worst = 0;
    for (const variant& c : cases) {
        const index_t na = dense_spectrum(net, d, c.s.blocks, c.s.penalty, c.s.rates, ev);
        const double top = ev[na - 1], scale = std::fmax(std::fabs(ev[0]), std::fabs(top));
        const sharpness_result r = sharpness(net, d, ws, c.s);
        TL_REQUIRE(r.ok());
        TL_CHECK(r.steps == na);  // every active direction (the Krylov space closes there)
        const double err = std::fabs(r.lambda_max - top) / scale;
        keep_max(worst, err);
        TL_CHECK(err <= 1e-12);
        TL_INFO("  %s: lambda_max %.10f (dense %.10f, %d steps, bound %.1e)\n", c.name, r.lambda_max, top,
                int(r.steps), r.residual_bound);
    }
    // Fewer steps: the top eigenvalue within the residual bound, from below (a Ritz value).
    const index_t na = dense_spectrum(net, d, hessian_blocks{}, {}, {}, ev);
    const double top = ev[na - 1];
    sharpness_settings<double> few;
    few.steps = 12;
    const sharpness_result r = sharpness(net, d, ws, few);
    TL_REQUIRE(r.ok() && r.steps == 12);
    TL_CHECK(std::fabs(r.lambda_max - top) <= r.residual_bound + 1e-12 * top);
    TL_CHECK(r.lambda_max <= top * (1 + 1e-12));
    TL_CHECK_NEAR(largest_stable_lr(r), 2.0 / (r.lambda_max + r.residual_bound), 0.0);
    // Deterministic: the same bits again.
    const sharpness_result again = sharpness(net, d, ws, few);
    TL_CHECK(std::memcmp(&again.lambda_max, &r.lambda_max, sizeof(double)) == 0);
    TL_CHECK(std::memcmp(&again.residual_bound, &r.residual_bound, sizeof(double)) == 0);
    TL_INFO("  12 steps: lambda_max %.10f, bound %.1e (dense %.10f); worst full-run error %.1e / |H|\n", r.lambda_max,
            r.residual_bound, top, worst);
}

// One exact case: the asked rates at 1.2 times the stable limit diverge; the capped trainer at the
// same asked rates decreases the penalized loss at every step, with the cap factor 0.9 * 2 / mu.
// base: the rates' ratios (mu: the top eigenvalue of the dense D^1/2 H_pen D^1/2 at base).
template <class Act>
void exact_case(const char* name, net_t<Act>& start, const data_t& d, const train_config<double>& base) {
    static double ev[NP], obj[steps_run + 1];
    static net_t<Act> net;
    const double per_n = base.scaling == lr_scaling::teacher_student ? 1.0 / N : 1.0;
    const block_rates D{base.lr_w, base.lr_v * per_n, base.lr_b * per_n};
    const hessian_blocks blocks{base.train_w, base.train_v, base.train_b};
    const index_t na =
        dense_spectrum(start, d, blocks, l2_penalty<double>{base.weight_decay_w, base.weight_decay_v}, D, ev);
    const double mu = ev[na - 1];
    TL_REQUIRE(mu > 0);
    // 1.2 times the stable limit: the error along the top eigenvector grows by 1.4 per step.
    const train_config<double> asked = scaled(base, 1.2 * 2 / mu);
    // The cap at the asked rates: mu there is 2.4, so the factor is 0.9 * 2 / 2.4 = 0.75.
    const step_cap<double> cap = cap_step_size(asked, start, d, ws);
    TL_REQUIRE(cap.status == step_cap_status::capped);
    TL_CHECK_NEAR(cap.factor, 0.75, 1e-10);
    TL_CHECK_NEAR(cap.config.lr_w, asked.lr_w * cap.factor, 0.0);
    TL_CHECK(cap.config.weight_decay_w == asked.weight_decay_w && cap.config.scaling == asked.scaling);
    // Below the limit the rates stay.
    TL_CHECK(cap_step_size(scaled(base, 0.8 * 2 / mu), start, d, ws).status == step_cap_status::unchanged);
    // Uncapped: diverging.
    net = start;
    gd_trainer<double, N, P> plain(asked);
    TL_CHECK(descend(plain, net, d, asked, obj) == steps_run);
    const double grew = obj[steps_run] / obj[0];
    TL_CHECK(grew > 100);
    TL_CHECK(obj[steps_run] > obj[steps_run - 1]);
    // The same asked rates, capped (recomputed every 10 steps): decreasing at every step.
    net = start;
    capped_gd_trainer<double, N, P, NP> capped(asked, ws, 10);
    TL_CHECK(descend(capped, net, d, asked, obj) == steps_run);
    TL_CHECK(capped.last_cap().status == step_cap_status::capped);
    int rises = 0;
    for (int k = 0; k < steps_run; ++k)
        if (obj[k + 1] > obj[k] * (1 + 1e-13)) ++rises;
    TL_CHECK(rises == 0);
    TL_CHECK(obj[steps_run] < 0.9 * obj[0]);
    TL_INFO("  %s: mu %.6f at the base rates, cap factor %.6f at 1.2x the limit; uncapped the loss x%.1e, capped "
            "%.4f -> %.4f\n", name, mu, cap.factor, grew, obj[0], obj[steps_run]);
}

TL_TEST(cap_is_exact_for_a_quadratic_loss) {
    gaussian_rng g(92);
    static data_t d;
    // Linear units, v frozen: the loss is quadratic in (W, b, c). teacher_student scaling: b and c
    // move with lr_b / N, W with lr_w, so the limit is on D^1/2 H D^1/2, not on H.
    static net_t<act::linear> lin;
    teacher_data<act::linear>(d, g, true);
    tl_test::random_network(lin, g);
    train_config<double> c;
    c.train_v = false;
    c.weight_decay_w = 0.01;
    exact_case("linear, W and biases, teacher_student", lin, d, c);
    // tanh units, only v trained: quadratic in v. Plain scaling with weight decay on v.
    static net_t<act::tanh> th;
    teacher_data<act::tanh>(d, g, false);
    tl_test::random_network(th, g, false);
    train_config<double> c2;
    c2.scaling = lr_scaling::plain;
    c2.train_w = false;
    c2.train_b = false;
    c2.weight_decay_v = 0.05;
    exact_case("tanh, v only, plain", th, d, c2);
    // Plain scaling, one rate: the cap is min(lr, 0.9 * largest_stable_lr).
    c2.lr_v = 100;
    const step_cap<double> cap = cap_step_size(c2, th, d, ws);
    const sharpness_result r = sharpness(th, d, ws, {{false, true, false}, {0.0, 0.05}, {}, 0, 0});
    TL_CHECK_NEAR(cap.config.lr_v, 0.9 * largest_stable_lr(r), 1e-12 * cap.config.lr_v);
}

// The number of steps k with obj[k + 1] > obj[k].
int rises(const double* obj) {
    int r = 0;
    for (int k = 0; k < steps_run; ++k)
        if (obj[k + 1] > obj[k]) ++r;
    return r;
}

TL_TEST(capped_gd_decreases_a_tanh_loss) {
    gaussian_rng g(93);
    static data_t d;
    static net_t<act::tanh> start, net;
    static double obj[steps_run + 1];
    const net_t<act::tanh>& teacher = teacher_data<act::tanh>(d, g, false);
    train_config<double> base;  // teacher_student scaling, every layer, rates far above the limit
    base.lr_w = base.lr_v = 100;
    // Near the teacher (a minimum of zero loss) the loss is nearly quadratic: at 1.5 times the
    // stable rate there the uncapped run rises, the capped one (recomputed every step) never does.
    start = teacher;
    tl_test::fill_gaussian(start.W_mut().flat(), g, 0.05);
    for (index_t i = 0; i < N * P; ++i) start.W_mut().data()[i] += teacher.W().data()[i];
    const step_cap<double> near = cap_step_size(base, start, d, ws);
    TL_REQUIRE(near.status == step_cap_status::capped);
    const train_config<double> asked = scaled(base, 1.5 * near.factor / 0.9);
    net = start;
    gd_trainer<double, N, P> plain(asked);
    TL_CHECK(descend(plain, net, d, asked, obj) == steps_run);
    const int rises_near = rises(obj);
    const double grew = obj[steps_run] / obj[0];
    TL_CHECK(rises_near > 0 && grew > 1);
    net = start;
    capped_gd_trainer<double, N, P, NP> capped(asked, ws);
    TL_CHECK(descend(capped, net, d, asked, obj) == steps_run);
    TL_CHECK(rises(obj) == 0);
    TL_CHECK(obj[steps_run] < obj[0]);
    TL_INFO("  near the teacher, 1.5x the limit: uncapped rose in %d of %d steps (loss x%.1e); capped %.2e -> %.2e\n",
            rises_near, steps_run, grew, obj[0], obj[steps_run]);
    // From a random start (far from quadratic: the sharpness falls tenfold on the way) at rates 100
    // times the cap: the capped run never rises either.
    tl_test::random_network(start, g, false);
    net = start;
    capped_gd_trainer<double, N, P, NP> far(base, ws);
    TL_CHECK(descend(far, net, d, base, obj) == steps_run);
    TL_CHECK(rises(obj) == 0);
    TL_CHECK(obj[steps_run] < 0.1 * obj[0]);
    TL_INFO("  random start, rates 100: capped %.5f -> %.5f, never rising (cap factor at the end %.4f)\n", obj[0],
            obj[steps_run], far.last_cap().factor);
}

TL_TEST(cap_leaves_rates_unchanged_without_a_limit) {
    // Quadratic units at W = 0 (g' = 0, g'' = 2), v = 1, labels above the output: the first
    // layer's Hessian (2/M) sum (yhat - y) v x x^T / N is negative definite.
    static net_t<act::quadratic> q;
    static data_t d;
    static double ev[NP];
    gaussian_rng g(94);
    tl_test::fill_gaussian(d.X.view().flat(), g);
    for (index_t mu = 0; mu < M; ++mu) d.y[mu] = 1 + std::fabs(g.next());
    fill(q.W_mut().flat(), 0.0);
    fill(q.v_mut(), 1.0);
    train_config<double> c;
    c.train_v = false;
    c.train_b = false;
    const index_t na = dense_spectrum(q, d, {true, false, false}, {}, {1.0, 1.0 / N, 1.0 / N}, ev);
    TL_REQUIRE(ev[na - 1] < 0);
    const step_cap<double> cap = cap_step_size(c, q, d, ws);
    TL_CHECK(cap.status == step_cap_status::not_positive);
    TL_CHECK_NEAR(cap.sharpness.lambda_max, ev[na - 1], 1e-12 * std::fabs(ev[0]));
    TL_CHECK(cap.config.lr_w == c.lr_w && cap.factor == 1.0);
    TL_CHECK(std::isinf(largest_stable_lr(cap.sharpness)));
    // A label that is not finite: the products are not finite, the rates stay, and the capped
    // trainer's step is refused without writing a weight.
    static net_t<act::tanh> net;
    static data_t bad;
    tl_test::random_network(net, g);
    tl_test::random_dataset(bad, g, labels::gaussian);
    bad.y[5] = std::numeric_limits<double>::quiet_NaN();
    train_config<double> c2;
    const step_cap<double> failed = cap_step_size(c2, net, bad, ws);
    TL_CHECK(failed.status == step_cap_status::failed);
    TL_CHECK(failed.sharpness.status == sharpness_status::lanczos_failed);
    TL_CHECK(failed.sharpness.lanczos == lanczos_status::nonfinite);
    TL_CHECK(failed.config.lr_w == c2.lr_w && failed.config.lr_v == c2.lr_v);
    capped_gd_trainer<double, N, P, NP> capped(c2, ws);
    const tl_test::weight_snapshot<net_t<act::tanh>> before(net);
    TL_CHECK(capped.full_batch(net, bad).status == step_status::nonfinite_label);
    TL_CHECK(before.same_as(net));
    TL_CHECK(capped.trainer.rejected() == 1);
    // Settings that cannot work: a negative block rate, safety outside (0, 1].
    sharpness_settings<double> neg;
    neg.rates.v = -1;
    TL_CHECK(sharpness(net, bad, ws, neg).status == sharpness_status::bad_settings);
    TL_CHECK(cap_step_size(c2, net, bad, ws, 1.5).status == step_cap_status::failed);
}

}  // namespace
