// Lanczos (analysis/lanczos.hpp) on every preset:
//   - the tridiagonal QR solver on matrices with known eigenpairs;
//   - the deterministic start vector (recorded Philox bits);
//   - a diagonal operator with known spectrum: all eigenvalues after n steps, the extreme ones
//     within their residual bounds after fewer, orthonormal Ritz vectors whose true residuals are
//     the bounds, an invariant Krylov space detected, repeated runs bit-identical;
//   - lanczos_ref over caller buffers: the static lanczos's bits, Ritz weights summing to 1;
//   - the HVP of a small network (N = 8, P = 4, M = 16: 41 parameters) against the eigenvalues of
//     its dense Hessian by Jacobi rotations (an independent method); with the first layer frozen
//     the Krylov space closes at the active dimension (9);
//   - a float network through hessian_operator's conversions.
#include <initializer_list>

#include "analysis_util.hpp"

using namespace twolayer;
using tl_test::keep_max;
using tl_test::labels;

namespace {

constexpr index_t N = 8, P = 4, M = 16;
constexpr index_t NP = max_flat_size<N, P>;  // 41

// The diagonal operator diag(lambda).
struct diagonal_op {
    const double* lambda;
    void operator()(vec_view<const double> in, vec_view<double> out) const {
        for (index_t i = 0; i < in.size(); ++i) out[i] = lambda[i] * in[i];
    }
};

TL_TEST(tridiagonal_qr_known_spectra) {
    // The 1-D Laplacian tridiag(-1, 2, -1) of size m: eigenvalues 2 - 2 cos(k pi / (m + 1)).
    constexpr index_t m = 24;
    static double d[m], e[m], z[m * m], d0[m], e0[m];
    for (index_t i = 0; i < m; ++i) {
        d0[i] = d[i] = 2.0;
        e0[i] = e[i] = -1.0;
    }
    TL_REQUIRE(tridiagonal_eigen(vec_view<double>(d, m), vec_view<double>(e, m), mat_view<double>(z, m, m)));
    const double pi = 3.14159265358979323846;
    for (index_t k = 1; k <= m; ++k) {
        const double want = 2 - 2 * std::cos(double(k) * pi / double(m + 1));
        double nearest = 1e300;
        for (index_t i = 0; i < m; ++i)
            if (std::fabs(d[i] - want) < nearest) nearest = std::fabs(d[i] - want);
        TL_CHECK(nearest <= 1e-14);
    }
    // T z_i = d_i z_i and Z^T Z = I.
    double res = 0, orth = 0;
    for (index_t i = 0; i < m; ++i) {
        for (index_t r = 0; r < m; ++r) {
            double tz = d0[r] * z[r * m + i];
            if (r > 0) tz += e0[r - 1] * z[(r - 1) * m + i];
            if (r + 1 < m) tz += e0[r] * z[(r + 1) * m + i];
            keep_max(res, std::fabs(tz - d[i] * z[r * m + i]));
        }
        for (index_t j = 0; j < m; ++j) {
            double s = 0;
            for (index_t r = 0; r < m; ++r) s += z[r * m + i] * z[r * m + j];
            keep_max(orth, std::fabs(s - (i == j ? 1.0 : 0.0)));
        }
    }
    TL_CHECK(res <= 1e-14);
    TL_CHECK(orth <= 1e-14);
    // Graded, split and repeated: diagonal (already converged) entries, a zero off-diagonal, a
    // 2 x 2 block with a known pair, and the 1 x 1 case.
    double d2[5] = {3, 1e-8, 5, 5, -2}, e2[5] = {0, 0, 1, 0, 0}, z2[25];
    TL_REQUIRE(tridiagonal_eigen(vec_view<double>(d2, 5), vec_view<double>(e2, 5), mat_view<double>(z2, 5, 5)));
    const double want2[5] = {-2, 1e-8, 3, 4, 6};
    for (double w : want2) {
        double nearest = 1e300;
        for (double v : d2)
            if (std::fabs(v - w) < nearest) nearest = std::fabs(v - w);
        TL_CHECK(nearest <= 1e-14 * (1 + std::fabs(w)));
    }
    double d1[1] = {7}, e1[1] = {0}, z1[1] = {0};
    TL_REQUIRE(tridiagonal_eigen(vec_view<double>(d1, 1), vec_view<double>(e1, 1), mat_view<double>(z1, 1, 1)));
    TL_CHECK(d1[0] == 7 && z1[0] == 1);
}

TL_TEST(start_vector_is_deterministic) {
    // Philox4x32-10 (seed 1, stream 0): the same bits on every target (integer arithmetic, then
    // 2 u - 1 exact in double). Recorded on the host.
    double v[4];
    lanczos_start_vector(vec_view<double>(v, 4), 1);
    const double want[4] = {0x1.8fa019c394282p-1, 0x1.5f222c0b615a8p-3, 0x1.6040a0defe2e4p-2, -0x1.8fe16e160268p-5};
    for (int i = 0; i < 4; ++i) TL_CHECK(v[i] == want[i]);
    for (double x : v) TL_CHECK(x >= -1.0 && x < 1.0);
}

// A spectrum with both signs, a cluster and well-separated ends.
constexpr index_t DN = 40;
void diagonal_spectrum(double* lambda) {
    for (index_t i = 0; i < DN; ++i) lambda[i] = -3.0 + 0.25 * double(i);  // -3 .. 6.75
    lambda[7] = -9.0;                                                     // an isolated smallest
    lambda[20] = 12.0;                                                    // an isolated largest
    lambda[21] = 11.0;
    lambda[30] = 1.0 + 1e-3;                                              // beside 1.0 (i = 16)
}

TL_TEST(lanczos_diagonal_operator) {
    static double lambda[DN], sorted[DN], y[DN], ay[DN];
    diagonal_spectrum(lambda);
    for (index_t i = 0; i < DN; ++i) sorted[i] = lambda[i];
    for (index_t i = 1; i < DN; ++i)
        for (index_t j = i; j > 0 && sorted[j - 1] > sorted[j]; --j) {
            const double t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    const diagonal_op op{lambda};
    static lanczos<DN, DN> lz;
    // n steps: the whole spectrum.
    TL_REQUIRE(lz.run(op, DN, DN, 3) == lanczos_status::ok);
    TL_REQUIRE(lz.steps() == DN);
    double worst = 0;
    for (index_t i = 0; i < DN; ++i) keep_max(worst, std::fabs(lz.pair(i).value - sorted[i]));
    TL_CHECK(worst <= 1e-12);
    TL_INFO("  n = %d steps: worst |theta - lambda| %.1e\n", int(DN), worst);
    // 16 steps: the extreme pairs within their bounds; the residual bound is the true residual.
    TL_REQUIRE(lz.run(op, DN, 16, 3) == lanczos_status::ok);
    TL_REQUIRE(lz.steps() == 16 && !lz.invariant());
    for (index_t k = 0; k < 3; ++k) {
        for (const ritz_pair& p : {lz.smallest(k), lz.largest(k)}) {
            double nearest = 1e300;  // some eigenvalue lies within the residual norm of theta
            for (index_t i = 0; i < DN; ++i)
                if (std::fabs(lambda[i] - p.value) < nearest) nearest = std::fabs(lambda[i] - p.value);
            TL_CHECK(nearest <= p.residual_bound + 1e-12);
            lz.ritz_vector(p, vec_view<double>(y, DN));
            op(vec_view<const double>(y, DN), vec_view<double>(ay, DN));
            double r2 = 0, n2 = 0;
            for (index_t i = 0; i < DN; ++i) {
                r2 += (ay[i] - p.value * y[i]) * (ay[i] - p.value * y[i]);
                n2 += y[i] * y[i];
            }
            TL_CHECK_NEAR(std::sqrt(n2), 1.0, 1e-12);
            TL_CHECK_NEAR(std::sqrt(r2), p.residual_bound, 1e-10);
        }
    }
    // The isolated ends converge first.
    TL_CHECK_NEAR(lz.largest(0).value, 12.0, 1e-8);
    TL_CHECK_NEAR(lz.smallest(0).value, -9.0, 1e-8);
    TL_INFO("  16 steps: largest %.12f (bound %.1e), smallest %.12f (bound %.1e)\n", lz.largest(0).value,
            lz.largest(0).residual_bound, lz.smallest(0).value, lz.smallest(0).residual_bound);
    // Ritz vectors orthonormal.
    static double y2[DN];
    lz.ritz_vector(lz.largest(0), vec_view<double>(y, DN));
    lz.ritz_vector(lz.smallest(0), vec_view<double>(y2, DN));
    double dot = 0;
    for (index_t i = 0; i < DN; ++i) dot += y[i] * y2[i];
    TL_CHECK(std::fabs(dot) <= 1e-12);
    // Bit-identical on a second run.
    const double a = lz.largest(1).value, b = lz.smallest(1).residual_bound;
    TL_REQUIRE(lz.run(op, DN, 16, 3) == lanczos_status::ok);
    TL_CHECK(lz.largest(1).value == a && lz.smallest(1).residual_bound == b);
}

TL_TEST(lanczos_invariant_subspace_and_errors) {
    static double lambda[DN], start[DN];
    diagonal_spectrum(lambda);
    const diagonal_op op{lambda};
    static lanczos<DN, DN> lz;
    // A start vector in 5 coordinates: the Krylov space is invariant after 5 steps.
    for (index_t i = 0; i < DN; ++i) start[i] = 0;
    const index_t idx[5] = {2, 7, 20, 25, 33};
    for (index_t i : idx) start[i] = 1.0 + 0.1 * double(i);
    TL_REQUIRE(lz.run_from(op, vec_view<const double>(start, DN), 30) == lanczos_status::ok);
    TL_CHECK(lz.invariant());
    TL_CHECK(lz.steps() == 5);
    for (index_t k = 0; k < 5; ++k) {
        bool found = false;
        for (index_t i : idx) found = found || std::fabs(lz.pair(k).value - lambda[i]) <= 1e-12;
        TL_CHECK(found);
        TL_CHECK(lz.pair(k).residual_bound <= 1e-12);
    }
    // Errors.
    TL_CHECK(lz.run(op, 0, 5) == lanczos_status::bad_size);
    TL_CHECK(lz.run(op, DN + 1, 5) == lanczos_status::bad_size);
    TL_CHECK(lz.run(op, DN, 0) == lanczos_status::bad_size);
    for (index_t i = 0; i < DN; ++i) start[i] = 0;
    TL_CHECK(lz.run_from(op, vec_view<const double>(start, DN), 5) == lanczos_status::bad_start);
    start[3] = std::numeric_limits<double>::infinity();
    TL_CHECK(lz.run_from(op, vec_view<const double>(start, DN), 5) == lanczos_status::bad_start);
    // An operator that returns NaN at its fourth product: the three steps before are kept.
    int calls = 0;
    auto bad = [&](vec_view<const double> in, vec_view<double> out) {
        op(in, out);
        if (++calls == 4) out[1] = std::numeric_limits<double>::quiet_NaN();
    };
    TL_CHECK(lz.run(bad, DN, 10) == lanczos_status::nonfinite);
    TL_CHECK(lz.steps() == 3);
    TL_CHECK(lz.largest(0).value <= 12.0 + 1e-12 && lz.smallest(0).value >= -9.0 - 1e-12);
}

// lanczos_ref over caller buffers: the same bits as the static lanczos (the same algorithm), the
// weights of the Ritz values summing to 1 with mean alpha_0 (the quadrature of the start's measure),
// and buffers too small refused.
TL_TEST(lanczos_ref_over_caller_storage) {
    static double lambda[DN], y[DN], yr[DN];
    diagonal_spectrum(lambda);
    const diagonal_op op{lambda};
    constexpr index_t S = 16;
    static lanczos<DN, S> lz;
    static double doubles[lanczos_ref::doubles_needed(DN, S)];
    static index_t order[S];
    lanczos_ref lr(vec_view<double>(doubles, lanczos_ref::doubles_needed(DN, S)), vec_view<index_t>(order, S), DN, S);
    TL_CHECK(lr.max_dimension() == DN && lr.max_steps() == S);
    TL_REQUIRE(lz.run(op, DN, S, 5) == lanczos_status::ok);
    TL_REQUIRE(lr.run(op, DN, S, 5) == lanczos_status::ok);
    TL_REQUIRE(lr.steps() == lz.steps());
    double wsum = 0, mean = 0;
    for (index_t i = 0; i < lr.steps(); ++i) {
        TL_CHECK(lr.pair(i).value == lz.pair(i).value && lr.pair(i).residual_bound == lz.pair(i).residual_bound);
        TL_CHECK(lr.ritz_weight(lr.pair(i)) == lz.ritz_weight(lz.pair(i)));
        wsum += lr.ritz_weight(lr.pair(i));
        mean += lr.ritz_weight(lr.pair(i)) * lr.pair(i).value;
    }
    TL_CHECK_NEAR(wsum, 1.0, 1e-13);
    TL_CHECK_NEAR(mean, lr.alpha(0), 1e-12);
    lz.ritz_vector(lz.largest(0), vec_view<double>(y, DN));
    lr.ritz_vector(lr.largest(0), vec_view<double>(yr, DN));
    for (index_t i = 0; i < DN; ++i) TL_CHECK(y[i] == yr[i]);
    // A dimension below the capacity: Q's rows keep their stride.
    TL_REQUIRE(lz.run(op, DN - 3, 10, 2) == lanczos_status::ok);
    TL_REQUIRE(lr.run(op, DN - 3, 10, 2) == lanczos_status::ok);
    TL_CHECK(lr.largest(0).value == lz.largest(0).value && lr.smallest(2).value == lz.smallest(2).value);
    // Too small: every run is bad_size.
    lanczos_ref small(vec_view<double>(doubles, lanczos_ref::doubles_needed(DN, S) - 1), vec_view<index_t>(order, S), DN, S);
    TL_CHECK(small.run(op, DN, 4) == lanczos_status::bad_size);
    TL_CHECK(lanczos_ref().run(op, 3, 2) == lanczos_status::bad_size);
}

// The small network's Hessian: Lanczos against Jacobi on the dense matrix.
TL_TEST(lanczos_on_the_hvp_of_a_network) {
    gaussian_rng g(71);
    static network<double, N, P, act::tanh> net;
    static dataset<double, M, N> d;
    tl_test::random_network(net, g);
    tl_test::random_dataset(d, g, labels::gaussian);
    static double H[NP * NP], e[NP], col[NP], ev[NP], y[NP], hy[NP];
    TL_REQUIRE(tl_test::dense_hessian(net, d, squared_loss{}, hessian_blocks{}, H, e, col));
    tl_test::jacobi_eigenvalues(H, int(NP), ev);
    const double scale = std::fmax(std::fabs(ev[0]), std::fabs(ev[NP - 1]));
    TL_CHECK(ev[0] < 0);  // a random network is not at a minimum: the Hessian is indefinite
    auto op = make_hessian_operator(net, d);
    static lanczos<NP, NP> lz;
    // All n steps: every eigenvalue.
    TL_REQUIRE(lz.run(op, op.dimension(), NP) == lanczos_status::ok);
    TL_REQUIRE(lz.steps() == NP);
    double worst = 0;
    for (index_t i = 0; i < NP; ++i) keep_max(worst, std::fabs(lz.pair(i).value - ev[i]) / scale);
    TL_CHECK(worst <= 1e-12);
    TL_INFO("  41 steps: worst |theta - lambda_Jacobi| / |H| %.1e; lambda in [%.6f, %.6f]\n", worst, ev[0],
            ev[NP - 1]);
    // 20 steps: the two largest and two smallest within their bounds, the bounds the true
    // residuals |H y - theta y| (computed with the HVP).
    TL_REQUIRE(lz.run(op, op.dimension(), 20) == lanczos_status::ok);
    TL_CHECK(op.status() == analysis_status::ok);
    for (index_t k = 0; k < 2; ++k) {
        const ritz_pair pl = lz.largest(k), ps = lz.smallest(k);
        TL_CHECK(std::fabs(pl.value - ev[NP - 1 - k]) <= pl.residual_bound + 1e-12 * scale);
        TL_CHECK(std::fabs(ps.value - ev[k]) <= ps.residual_bound + 1e-12 * scale);
        for (const ritz_pair& p : {pl, ps}) {
            lz.ritz_vector(p, vec_view<double>(y, NP));
            op(vec_view<const double>(y, NP), vec_view<double>(hy, NP));
            double r2 = 0;
            for (index_t i = 0; i < NP; ++i) r2 += (hy[i] - p.value * y[i]) * (hy[i] - p.value * y[i]);
            TL_CHECK_NEAR(std::sqrt(r2), p.residual_bound, 1e-9 * scale);
        }
    }
    TL_INFO("  20 steps: lambda_max %.10f (bound %.1e, Jacobi %.10f), lambda_min %.10f (bound %.1e, Jacobi %.10f)\n",
            lz.largest(0).value, lz.largest(0).residual_bound, ev[NP - 1], lz.smallest(0).value,
            lz.smallest(0).residual_bound, ev[0]);
}

// First layer frozen: the active dimension is 2 P + 1 = 9, the Krylov space closes there, and
// the Ritz values are the eigenvalues of the dense Hessian's active block.
TL_TEST(lanczos_with_a_frozen_first_layer) {
    gaussian_rng g(72);
    static network<double, N, P, act::erf> net;
    static dataset<double, M, N> d;
    tl_test::random_network(net, g);
    tl_test::random_dataset(d, g, labels::sign);
    const hessian_blocks blocks{false, true, true};
    const logistic_loss loss;
    static double H[NP * NP], e[NP], col[NP], sub[NP * NP], ev[NP], start[NP];
    TL_REQUIRE(tl_test::dense_hessian(net, d, loss, blocks, H, e, col));
    const parameter_layout L = parameter_layout_of(net);
    const index_t na = L.active_size(blocks), off = L.v_offset();
    TL_REQUIRE(na == 2 * P + 1 && off + na == NP);
    for (index_t i = 0; i < na; ++i)
        for (index_t j = 0; j < na; ++j) sub[i * na + j] = H[(off + i) * NP + off + j];
    tl_test::jacobi_eigenvalues(sub, int(na), ev);
    auto op = make_hessian_operator(net, d, blocks, loss);
    lanczos_start_vector(vec_view<double>(start, NP), 5);
    op.zero_inactive(vec_view<double>(start, NP));
    static lanczos<NP, NP> lz;
    TL_REQUIRE(lz.run_from(op, vec_view<const double>(start, NP), NP) == lanczos_status::ok);
    TL_CHECK(lz.invariant());
    TL_CHECK(lz.steps() == na);
    for (index_t i = 0; i < lz.steps() && i < na; ++i)
        TL_CHECK_NEAR(lz.pair(i).value, ev[i], 1e-12 * (1 + std::fabs(ev[na - 1])));
    TL_INFO("  active dimension %d reached in %d steps; lambda in [%.6f, %.6f]\n", int(na), int(lz.steps()), ev[0],
            ev[na - 1]);
}

// A float network through hessian_operator (double in, float products, double out): the extreme
// eigenvalues within float rounding of the double network's.
TL_TEST(lanczos_on_a_float_network) {
    gaussian_rng g(73);
    static network<double, N, P, act::tanh> dn;
    static network<float, N, P, act::tanh> fn;
    static dataset<double, M, N> dd;
    static dataset<float, M, N> fd;
    tl_test::random_network(dn, g);
    tl_test::random_dataset(dd, g, labels::gaussian);
    TL_REQUIRE(convert_network(dn, fn) == 0);
    TL_REQUIRE(convert_network(fn, dn) == 0);  // the double network holds the float weights exactly
    for (index_t i = 0; i < M * N; ++i) dd.X.data[i] = double(fd.X.data[i] = float(dd.X.data[i]));
    for (index_t i = 0; i < M; ++i) dd.y[i] = double(fd.y[i] = float(dd.y[i]));
    auto dop = make_hessian_operator(dn, dd);
    auto fop = make_hessian_operator(fn, fd);
    static lanczos<NP, NP> ld, lf;
    TL_REQUIRE(ld.run(dop, NP, 30) == lanczos_status::ok);
    TL_REQUIRE(lf.run(fop, NP, 30) == lanczos_status::ok);
    const double scale = std::fmax(std::fabs(ld.largest(0).value), std::fabs(ld.smallest(0).value));
    // The float products carry errors of about 2 eps_f of |H u| (test_hvp_formats), and the float
    // operator is not exactly symmetric; an eigenvalue of the perturbed matrix moves by at most
    // the perturbation's norm (Weyl; Bauer-Fike for the asymmetric part), a few eps_f sqrt(n) |H|
    // ~ 2e-6. Measured on host, cortex-m4, cortex-m55, aarch64, armv7: at most 1.7e-8 (lambda_max)
    // and 5.1e-8 (lambda_min).
    const double err_max = std::fabs(lf.largest(0).value - ld.largest(0).value) / scale;
    const double err_min = std::fabs(lf.smallest(0).value - ld.smallest(0).value) / scale;
    TL_CHECK(err_max <= 2e-6);
    TL_CHECK(err_min <= 2e-6);
    TL_INFO("  float vs double: |d lambda_max| / |H| %.1e, |d lambda_min| / |H| %.1e (bound 2e-6)\n", err_max, err_min);
}

}  // namespace
