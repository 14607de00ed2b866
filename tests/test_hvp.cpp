// The exact Hessian-vector product and the flat gradient of analysis/hvp.hpp in double, for every
// activation and every loss (N = 8, P = 4, M = 16, both biases: 41 parameters):
//   - the flat gradient against central differences of the mean loss;
//   - H u against central differences of the flat gradient along u;
//   - the dense Hessian assembled column by column from the HVP: symmetric, linear (H u equals
//     the columns combined), and its second-layer block equal to the closed form
//     (1/M) sum_mu l''(yhat) g(z) g(z)^T;
//   - the blocks: a frozen block's entries are 0 and its entries of u are not read; the restricted
//     product is the full one's sub-block; a network without biases has the P N + P layout;
//   - weight decay (l2_penalty): the penalized gradient and H u against central differences;
//   - the checks (empty dataset, sizes, alignment) write nothing; dynamic sizes, the owning and
//     the reference types and hessian_operator give the same products.
#include "analysis_util.hpp"

using namespace twolayer;
using tl_test::keep_max;
using tl_test::labels;

namespace {

constexpr index_t N = 8, P = 4, M = 16;
constexpr index_t NP = max_flat_size<N, P>;  // 41

// Central differences in double with h = 1e-5: the truncation error h^2/6 |f'''| is ~2e-11 for
// the O(1) third derivatives of these losses, the rounding error eps |f| / h ~2e-11 for O(1)
// gradients; 1e-6 relative to max(1, |exact|) leaves four orders of magnitude for larger
// derivatives (the measured worst is printed).
constexpr double h = 1e-5;
constexpr double fd_rel = 1e-6;

template <class Act>
using net_t = network<double, N, P, Act>;
using data_t = dataset<double, M, N>;

// A network and dataset whose pre-activations are farther than 1e-3 from 0 (so that the FD steps
// below never cross a kink of ReLU or |x|).
template <class Act>
void draw(net_t<Act>& net, data_t& d, gaussian_rng& g, labels how, bool biases = true) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        tl_test::random_network(net, g, biases);
        tl_test::random_dataset(d, g, how);
        if (tl_test::min_abs_preactivation(net, d) > 1e-3) return;
    }
}

// draw() from a fresh generator of seed.
template <class Act>
void draw_seeded(net_t<Act>& net, data_t& d, std::uint64_t seed, bool biases = true) {
    gaussian_rng g(seed);
    draw(net, d, g, labels::gaussian, biases);
}

// A unit-scale direction: entries uniform in [-1, 1).
void direction(double* u, index_t n, std::uint64_t seed) {
    philox4x32 r(seed, 7);
    for (index_t i = 0; i < n; ++i) u[i] = 2 * r.uniform01() - 1;
}

double max_abs(const double* a, index_t n) {
    double m = 0;
    for (index_t i = 0; i < n; ++i) keep_max(m, std::fabs(a[i]));
    return m;
}

// The worst relative errors over the tests, printed at the end of each.
struct worst {
    double grad = 0, hvp = 0;
};

// theta + s u into net (a copy), then its flat gradient into gout (of the loss penalized by pen);
// returns the mean loss (with the penalty).
template <class Act, class Loss>
double gradient_at(const net_t<Act>& base, const data_t& d, const Loss& loss, const double* theta, const double* u,
                   double s, double* gout, index_t n, const l2_penalty<double>& pen = {}) {
    static double th[NP];
    static hvp_workspace<double, N, P> ws;
    net_t<Act> net = base;
    for (index_t i = 0; i < n; ++i) th[i] = theta[i] + s * u[i];
    write_parameters(net, vec_view<const double>(th, n));
    const auto r = flat_gradient(net, d, vec_view<double>(gout, n), ws, pen, hessian_blocks{}, loss);
    return r.ok() ? r.loss : 1e300;
}

// Gradient and HVP of one activation and loss against central differences.
template <class Act, class Loss>
void check_fd(const Loss& loss, labels how, std::uint64_t seed, worst& w) {
    gaussian_rng g(seed);
    static net_t<Act> net;
    static data_t d;
    draw(net, d, g, how);
    const index_t n = flat_size(net);
    TL_REQUIRE(n == NP);
    static double theta[NP], grad[NP], gp[NP], gm[NP], u[NP], hu[NP], e[NP];
    static hvp_workspace<double, N, P> ws;
    TL_REQUIRE(read_parameters(net, vec_view<double>(theta, n)) == analysis_status::ok);
    const auto r0 = flat_gradient(net, d, vec_view<double>(grad, n), ws, hessian_blocks{}, loss);
    TL_REQUIRE(r0.ok());
    TL_CHECK_NEAR(r0.loss, mean_loss(net, d, loss), 1e-14 * (1 + std::fabs(r0.loss)));

    // The gradient: d L / d theta_i by central differences of the loss.
    for (index_t i = 0; i < n; ++i) {
        for (index_t j = 0; j < n; ++j) e[j] = i == j ? 1.0 : 0.0;
        const double up = gradient_at(net, d, loss, theta, e, h, gp, n);
        const double dn = gradient_at(net, d, loss, theta, e, -h, gm, n);
        const double fd = (up - dn) / (2 * h);
        const double err = std::fabs(fd - grad[i]) / (1 + std::fabs(grad[i]));
        keep_max(w.grad, err);
        TL_CHECK(err <= fd_rel);
    }
    // H u along three directions by central differences of the gradient.
    for (std::uint64_t rep = 0; rep < 3; ++rep) {
        direction(u, n, seed * 10 + rep);
        const auto r = hessian_vector_product(net, d, vec_view<const double>(u, n), vec_view<double>(hu, n), ws,
                                              hessian_blocks{}, loss);
        TL_REQUIRE(r.ok());
        TL_CHECK_NEAR(r.loss, r0.loss, 0.0);
        gradient_at(net, d, loss, theta, u, h, gp, n);
        gradient_at(net, d, loss, theta, u, -h, gm, n);
        const double scale = 1 + max_abs(hu, n);
        for (index_t i = 0; i < n; ++i) {
            const double err = std::fabs((gp[i] - gm[i]) / (2 * h) - hu[i]) / scale;
            keep_max(w.hvp, err);
            TL_CHECK(err <= fd_rel);
        }
    }
}

template <class Loss>
void fd_every_activation(const Loss& loss, labels how, const char* name) {
    worst w;
    check_fd<act::erf>(loss, how, 11, w);
    check_fd<act::relu>(loss, how, 12, w);
    check_fd<act::quadratic>(loss, how, 13, w);
    check_fd<act::tanh>(loss, how, 14, w);
    check_fd<act::sigmoid>(loss, how, 15, w);
    check_fd<act::linear>(loss, how, 16, w);
    check_fd<act::abs>(loss, how, 17, w);
    TL_INFO("  %s: worst |FD - gradient| %.1e, |FD - Hu| %.1e (relative; bound %.0e)\n", name, w.grad, w.hvp, fd_rel);
}

TL_TEST(hvp_against_finite_differences_squared) { fd_every_activation(squared_loss{}, labels::gaussian, "squared"); }
TL_TEST(hvp_against_finite_differences_weighted) {
    weighted_squared_loss<double> l;
    l.weight_positive = 2.0;
    l.weight_negative = 0.5;
    fd_every_activation(l, labels::sign, "weighted");
}
TL_TEST(hvp_against_finite_differences_logistic) { fd_every_activation(logistic_loss{}, labels::sign, "logistic"); }

// Weight decay (l2_penalty, the trainers' 0.5 wd_w |W|^2 + 0.5 wd_v |v|^2): the penalized loss is
// the data loss plus the penalty; its gradient against central differences of that loss, its H u
// against central differences of its gradient; the penalty adds exactly pen.w U and pen.v a (up to
// one rounding) on the active W and v blocks and nothing elsewhere.
TL_TEST(hvp_with_weight_decay) {
    static net_t<act::tanh> net;
    static data_t d;
    draw_seeded(net, d, 41);
    const index_t n = flat_size(net);
    const l2_penalty<double> pen{0.3, 0.7};
    const parameter_layout L = parameter_layout_of(net);
    static double theta[NP], grad[NP], plain[NP], gp[NP], gm[NP], e[NP], u[NP], hu[NP], hu0[NP];
    static hvp_workspace<double, N, P> ws;
    TL_REQUIRE(read_parameters(net, vec_view<double>(theta, n)) == analysis_status::ok);
    const auto r = flat_gradient(net, d, vec_view<double>(grad, n), ws, pen);
    TL_REQUIRE(r.ok());
    TL_REQUIRE(flat_gradient(net, d, vec_view<double>(plain, n), ws));
    double w2 = 0, v2 = 0;
    for (index_t i = 0; i < L.w_size(); ++i) w2 += theta[i] * theta[i];
    for (index_t k = 0; k < P; ++k) v2 += theta[L.v_offset() + k] * theta[L.v_offset() + k];
    const double data_loss = mean_loss(net, d);
    TL_CHECK_NEAR(r.loss, data_loss + 0.5 * (pen.w * w2 + pen.v * v2), 1e-14 * (1 + r.loss));
    double worst_g = 0, worst_h = 0;
    for (index_t i = 0; i < n; ++i) {
        for (index_t j = 0; j < n; ++j) e[j] = i == j ? 1.0 : 0.0;
        const double up = gradient_at(net, d, squared_loss{}, theta, e, h, gp, n, pen);
        const double dn = gradient_at(net, d, squared_loss{}, theta, e, -h, gm, n, pen);
        const double err = std::fabs((up - dn) / (2 * h) - grad[i]) / (1 + std::fabs(grad[i]));
        keep_max(worst_g, err);
        TL_CHECK(err <= fd_rel);
        // The penalty's gradient: pen.w W, pen.v v, nothing on the biases.
        const double want = i < L.v_offset() ? pen.w * theta[i] : i < L.b_offset() ? pen.v * theta[i] : 0.0;
        TL_CHECK_NEAR(grad[i] - plain[i], want, 4 * DBL_EPSILON * (1 + std::fabs(grad[i])));
    }
    direction(u, n, 42);
    TL_REQUIRE(hessian_vector_product(net, d, vec_view<const double>(u, n), vec_view<double>(hu, n), ws, pen));
    TL_REQUIRE(hessian_vector_product(net, d, vec_view<const double>(u, n), vec_view<double>(hu0, n), ws));
    gradient_at(net, d, squared_loss{}, theta, u, h, gp, n, pen);
    gradient_at(net, d, squared_loss{}, theta, u, -h, gm, n, pen);
    const double scale = 1 + max_abs(hu, n);
    for (index_t i = 0; i < n; ++i) {
        const double err = std::fabs((gp[i] - gm[i]) / (2 * h) - hu[i]) / scale;
        keep_max(worst_h, err);
        TL_CHECK(err <= fd_rel);
        const double want = i < L.v_offset() ? pen.w * u[i] : i < L.b_offset() ? pen.v * u[i] : 0.0;
        TL_CHECK_NEAR(hu[i] - hu0[i], want, 4 * DBL_EPSILON * scale);
    }
    // A frozen second layer: its entries 0, the penalty on W only.
    const hessian_blocks first_only{true, false, true};
    TL_REQUIRE(hessian_vector_product(net, d, vec_view<const double>(u, n), vec_view<double>(gp, n), ws, pen,
                                      first_only));
    TL_REQUIRE(hessian_vector_product(net, d, vec_view<const double>(u, n), vec_view<double>(gm, n), ws, first_only));
    for (index_t i = 0; i < n; ++i) {
        const double want = !L.active(i, first_only) ? 0.0 : i < L.v_offset() ? pen.w * u[i] : 0.0;
        TL_CHECK_NEAR(gp[i] - gm[i], want, 4 * DBL_EPSILON * scale);
        if (!L.active(i, first_only)) TL_CHECK(gp[i] == 0.0);
    }
    // The operator carries the penalty.
    auto op = make_hessian_operator(net, d, pen);
    op(vec_view<const double>(u, n), vec_view<double>(gm, n));
    for (index_t i = 0; i < n; ++i) TL_CHECK(gm[i] == hu[i]);
    TL_INFO("  worst |FD - gradient| %.1e, |FD - Hu| %.1e (relative; bound %.0e)\n", worst_g, worst_h, fd_rel);
}

// The dense Hessian: symmetric to rounding, linear, and its v block the closed form.
template <class Act, class Loss>
void check_dense(const Loss& loss, labels how, std::uint64_t seed, double& asym) {
    gaussian_rng g(seed);
    static net_t<Act> net;
    static data_t d;
    draw(net, d, g, how);
    const index_t n = flat_size(net);
    static double H[NP * NP], e[NP], col[NP], u[NP], hu[NP];
    static hvp_workspace<double, N, P> ws;
    TL_REQUIRE(tl_test::dense_hessian(net, d, loss, hessian_blocks{}, H, e, col));
    const double hmax = max_abs(H, n * n);
    TL_CHECK(hmax > 0);
    double a = 0;
    for (index_t i = 0; i < n; ++i)
        for (index_t j = 0; j < i; ++j) keep_max(a, std::fabs(H[i * n + j] - H[j * n + i]) / hmax);
    keep_max(asym, a);
    // Rounding only: each entry is a sum of M terms of a few products (16 eps = 3.6e-15).
    TL_CHECK(a <= 16 * DBL_EPSILON);
    // Linearity: H u = sum_i u_i H e_i.
    direction(u, n, seed);
    TL_REQUIRE(hessian_vector_product(net, d, vec_view<const double>(u, n), vec_view<double>(hu, n), ws,
                                      hessian_blocks{}, loss));
    for (index_t i = 0; i < n; ++i) {
        double s = 0;
        for (index_t j = 0; j < n; ++j) s += H[i * n + j] * u[j];
        TL_CHECK_NEAR(hu[i], s, 1e-13 * (1 + hmax));
    }
    // The second-layer block: d^2 L / dv_k dv_l = (1/M) sum_mu l''(yhat) g_k g_l (yhat is linear in v).
    const parameter_layout L = parameter_layout_of(net);
    for (index_t k = 0; k < P; ++k)
        for (index_t l = 0; l < P; ++l) {
            double s = 0;
            for (index_t mu = 0; mu < M; ++mu) {
                const double yhat = net.forward(d.X.view().row(mu));
                s += loss.deriv2(yhat, d.y[mu]) * net.g()[k] * net.g()[l];
            }
            TL_CHECK_NEAR(H[(L.v_offset() + k) * n + L.v_offset() + l], s / M, 1e-14 * (1 + hmax));
        }
}

TL_TEST(dense_hessian_symmetric_and_linear) {
    double asym = 0;
    check_dense<act::erf>(squared_loss{}, labels::gaussian, 21, asym);
    check_dense<act::relu>(squared_loss{}, labels::gaussian, 22, asym);
    check_dense<act::quadratic>(logistic_loss{}, labels::sign, 23, asym);
    check_dense<act::tanh>(logistic_loss{}, labels::sign, 24, asym);
    weighted_squared_loss<double> wl;
    wl.weight_positive = 3.0;
    check_dense<act::sigmoid>(wl, labels::sign, 25, asym);
    check_dense<act::linear>(squared_loss{}, labels::gaussian, 26, asym);
    check_dense<act::abs>(logistic_loss{}, labels::sign, 27, asym);
    TL_INFO("  worst |H_ij - H_ji| / max|H| %.1e (bound %.1e)\n", asym, 16 * DBL_EPSILON);
}

// Blocks: inactive entries 0, inactive entries of u not read, the rest the full product's
// restriction: H_AA u_A = (H (u with inactive entries 0)) restricted to A.
TL_TEST(hvp_blocks_restrict_the_hessian) {
    static net_t<act::tanh> net;
    static data_t d;
    draw_seeded(net, d, 31);
    const parameter_layout L = parameter_layout_of(net);
    const index_t n = L.size();
    static double u[NP], um[NP], full[NP], part[NP];
    static hvp_workspace<double, N, P> ws;
    const hessian_blocks cases[] = {{false, true, true}, {true, false, true}, {true, true, false},
                                    {false, false, true}, {false, true, false}, {false, false, false}};
    for (const hessian_blocks& b : cases) {
        direction(u, n, 5);
        for (index_t i = 0; i < n; ++i) {
            um[i] = L.active(i, b) ? u[i] : 0.0;
            if (!L.active(i, b)) u[i] = std::numeric_limits<double>::quiet_NaN();  // must not be read
            part[i] = 12345.0;                                                     // must be overwritten
        }
        TL_REQUIRE(hessian_vector_product(net, d, vec_view<const double>(um, n), vec_view<double>(full, n), ws));
        TL_REQUIRE(hessian_vector_product(net, d, vec_view<const double>(u, n), vec_view<double>(part, n), ws, b));
        index_t active = 0;
        for (index_t i = 0; i < n; ++i) {
            if (L.active(i, b)) {
                ++active;
                TL_CHECK_NEAR(part[i], full[i], 1e-14 * (1 + std::fabs(full[i])));
            } else {
                TL_CHECK(part[i] == 0.0);
            }
        }
        TL_CHECK(active == L.active_size(b));
    }
    // The gradient's blocks too.
    static double gfull[NP], gpart[NP];
    TL_REQUIRE(flat_gradient(net, d, vec_view<double>(gfull, n), ws));
    for (const hessian_blocks& b : cases) {
        for (index_t i = 0; i < n; ++i) gpart[i] = 12345.0;
        TL_REQUIRE(flat_gradient(net, d, vec_view<double>(gpart, n), ws, b));
        for (index_t i = 0; i < n; ++i) TL_CHECK(gpart[i] == (L.active(i, b) ? gfull[i] : 0.0));
    }
}

// Without biases the layout is [W | v], P N + P entries; one bias on adds its entries.
TL_TEST(hvp_layout_follows_the_biases) {
    static net_t<act::erf> net;
    static data_t d;
    draw_seeded(net, d, 41, false);
    TL_CHECK(flat_size(net) == P * N + P);
    static double u[NP], hu[NP], fd[NP], gp[NP], gm[NP], theta[NP];
    static hvp_workspace<double, N, P> ws;
    index_t n = flat_size(net);
    direction(u, n, 3);
    TL_REQUIRE(hessian_vector_product(net, d, vec_view<const double>(u, n), vec_view<double>(hu, n), ws));
    TL_REQUIRE(read_parameters(net, vec_view<double>(theta, n)) == analysis_status::ok);
    gradient_at(net, d, squared_loss{}, theta, u, h, gp, n);
    gradient_at(net, d, squared_loss{}, theta, u, -h, gm, n);
    for (index_t i = 0; i < n; ++i) fd[i] = (gp[i] - gm[i]) / (2 * h);
    for (index_t i = 0; i < n; ++i) TL_CHECK_NEAR(hu[i], fd[i], fd_rel * (1 + max_abs(hu, n)));
    net.use_output_bias(true);
    TL_CHECK(flat_size(net) == P * N + P + 1);
    TL_CHECK(parameter_layout_of(net).c_offset() == P * N + P);
    net.use_hidden_bias(true);
    TL_CHECK(flat_size(net) == NP);
    TL_CHECK(parameter_layout_of(net).b_offset() == P * N + P);
    TL_CHECK(parameter_layout_of(net).c_offset() == P * N + 2 * P);
}

// A failed check returns its status and writes nothing.
TL_TEST(hvp_checks_write_nothing) {
    static net_t<act::erf> net;
    static data_t d;
    draw_seeded(net, d, 51);
    static double u[NP + 1], out[NP + 1];
    static hvp_workspace<double, N, P> ws;
    direction(u, NP + 1, 1);
    auto untouched = [&](index_t n) {
        for (index_t i = 0; i < n; ++i)
            if (out[i] != 7.0) return false;
        return true;
    };
    for (double& o : out) o = 7.0;
    // A flat vector of another size.
    auto r = hessian_vector_product(net, d, vec_view<const double>(u, NP), vec_view<double>(out, NP + 1), ws);
    TL_CHECK(r.status == analysis_status::size_mismatch && untouched(NP + 1));
    r = hessian_vector_product(net, d, vec_view<const double>(u, NP - 1), vec_view<double>(out, NP), ws);
    TL_CHECK(r.status == analysis_status::size_mismatch && untouched(NP + 1));
    r = flat_gradient(net, d, vec_view<double>(out, NP - 1), ws);
    TL_CHECK(r.status == analysis_status::size_mismatch && untouched(NP + 1));
    // An empty dataset.
    const dataset_ref<double, dynamic_extent, N> empty(mat_view<const double, dynamic_extent, N>(d.X.data, 0),
                                                       vec_view<const double>(d.y.data, 0));
    r = hessian_vector_product(net, empty, vec_view<const double>(u, NP), vec_view<double>(out, NP), ws);
    TL_CHECK(r.status == analysis_status::empty_dataset && untouched(NP + 1));
    // Labels that disagree with the samples; a workspace of another size.
    const dataset_ref<double, dynamic_extent, N> short_y(mat_view<const double, dynamic_extent, N>(d.X.data, M),
                                                         vec_view<const double>(d.y.data, M - 1));
    r = hessian_vector_product(net, short_y, vec_view<const double>(u, NP), vec_view<double>(out, NP), ws);
    TL_CHECK(r.status == analysis_status::size_mismatch && untouched(NP + 1));
    hvp_workspace_ref<double, dynamic_extent, dynamic_extent> wsr(ws.ref());
    wsr.e = vec_view<double>(ws.e.data, P - 1);
    r = hessian_vector_product(net, d, vec_view<const double>(u, NP), vec_view<double>(out, NP), wsr);
    TL_CHECK(r.status == analysis_status::size_mismatch && untouched(NP + 1));
    // A misaligned output.
    alignas(8) static unsigned char raw[(NP + 1) * sizeof(double)];
    double* odd = reinterpret_cast<double*>(raw + 1);
    r = hessian_vector_product(net, d, vec_view<const double>(u, NP), vec_view<double>(odd, NP), ws);
    TL_CHECK(r.status == analysis_status::misaligned_buffer);
    // A correct call.
    r = hessian_vector_product(net, d, vec_view<const double>(u, NP), vec_view<double>(out, NP), ws);
    TL_CHECK(r.ok() && out[NP] == 7.0 && out[0] != 7.0);
}

// The same product through every way of calling it: the owning network and its reference, static
// and dynamic sizes, an array and views, the dataset and its reference, hessian_operator.
TL_TEST(hvp_every_calling_form_agrees) {
    static net_t<act::sigmoid> net;
    static data_t d;
    draw_seeded(net, d, 61);
    static double u[NP], a[NP], b[NP], c[NP], o[NP];
    static hvp_workspace<double, N, P> ws;
    direction(u, NP, 9);
    TL_REQUIRE(hessian_vector_product(net, d, u, a, ws));  // arrays
    const network_ref<double, dynamic_extent, dynamic_extent, act::sigmoid> dyn(net.ref());
    const dataset_ref<double, dynamic_extent, dynamic_extent> ddyn(d.ref());
    const hvp_workspace_ref<double, dynamic_extent, dynamic_extent> wdyn(ws.ref());
    TL_REQUIRE(hessian_vector_product(dyn, ddyn, vec_view<const double>(u, NP), vec_view<double>(b, NP), wdyn));
    const net_t<act::sigmoid>& cnet = net;
    TL_REQUIRE(hessian_vector_product(cnet, d.ref(), vec_view<const double, NP>(u), vec_view<double, NP>(c),
                                      ws.ref(), hessian_blocks{}, squared_loss{}, arch::scalar{}));
    auto op = make_hessian_operator(net, d);
    TL_CHECK(op.dimension() == NP);
    op(vec_view<const double>(u, NP), vec_view<double>(o, NP));
    TL_CHECK(op.status() == analysis_status::ok && op.products() == 1);
    const double s = 1 + max_abs(a, NP);
    for (index_t i = 0; i < NP; ++i) {
        TL_CHECK(a[i] == o[i]);                        // the operator calls the same product
        TL_CHECK_NEAR(a[i], b[i], 1e-14 * s);          // dynamic extents may take other kernels
        TL_CHECK_NEAR(a[i], c[i], 1e-14 * s);          // the scalar arch: rounding only
    }
    // The network's forward cache is not touched by the analysis.
    net.forward(d.X.view().row(3));
    const double l0 = net.lambda()[0], y0 = net.output();
    TL_REQUIRE(hessian_vector_product(net, d, u, a, ws));
    TL_CHECK(net.lambda()[0] == l0 && net.output() == y0);
    // read_parameters / write_parameters round trip.
    static net_t<act::sigmoid> copy;
    TL_REQUIRE(read_parameters(net, a) == analysis_status::ok);
    copy.use_hidden_bias(true);
    copy.use_output_bias(true);
    TL_REQUIRE(write_parameters(copy, a) == analysis_status::ok);
    TL_CHECK(tl_test::weight_snapshot<net_t<act::sigmoid>>(net).same_as(copy));
}

}  // namespace
