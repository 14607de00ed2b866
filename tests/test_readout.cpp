// Last-layer retraining (train/readout.hpp), on every preset: N = 5 inputs, P = 4 tanh units with
// hidden biases, the output bias fitted too (K = 5 unknowns), M = 24 samples with labels +-1 (a
// 1:2 imbalance) and class weights w+ = 3, w- = 1:
//   - the ridge solve against an independent reference: the features recomputed in long double
//     from the stored weights, the normal equations assembled and solved by Gaussian elimination
//     with partial pivoting, for double, float and q3_12 networks;
//   - the ridge solve against the GD limit: readout_gd with weight decay lambda / M, run long,
//     converges to it;
//   - the singular case (lambda = 0 with 3 samples for 5 unknowns) reports not_positive_definite,
//     and bad settings, a NaN label and a solution past a q3_12 network's range (which would
//     saturate) report theirs, v and c unchanged each time;
//   - the first layer is never written (byte compare after both methods) and a const first layer
//     (const arrays, read-only memory on a board) works, with the same results as the network
//     that holds the same weights in RAM.
#include "nonfinite.hpp"
#include "test_util.hpp"

using namespace twolayer;

namespace {

constexpr index_t N = 5, P = 4, M = 24, K = P + 1;
constexpr double lambda = 0.5, w_pos = 3, w_neg = 1;

// The first layer, as const data (what a board keeps in flash).
const double W_flash[P * N] = {0.9, -0.3, 0.4, 0.1, -0.7, -0.2, 0.8, 0.5, -0.6, 0.3, 0.6, 0.2, -0.9, 0.4, 0.1,
                               -0.5, -0.4, 0.3, 0.7, 0.8};
const double b_flash[P] = {0.1, -0.2, 0.3, 0.05};

// A network of format F with the first layer above, both biases on, v = 0.5, c = 0.
template <class F>
void make_network(network<F, N, P, act::tanh>& net) {
    for (index_t i = 0; i < P * N; ++i) net.W_mut().flat()[i] = format_traits<F>::from_double(W_flash[i]);
    for (index_t k = 0; k < P; ++k) {
        net.hidden_bias_mut()[k] = format_traits<F>::from_double(b_flash[k]);
        net.v_mut()[k] = format_traits<F>::from_double(0.5);
    }
    net.set_output_bias(format_traits<F>::from_double(0.0));
    net.use_hidden_bias(true);
    net.use_output_bias(true);
}

// Gaussian inputs and labels +1 for x_0 > 0.45 (about a third), -1 otherwise, in format F.
template <class F, index_t MM = M>
void make_data(dataset<storage_t<F>, MM, N>& d, std::uint64_t seed = 3) {
    gaussian_rng g(seed);
    for (index_t mu = 0; mu < MM; ++mu) {
        double x0 = 0;
        for (index_t j = 0; j < N; ++j) {
            const double x = g.next();
            if (j == 0) x0 = x;
            d.X(mu, j) = format_traits<F>::from_double(x);
        }
        d.y[mu] = format_traits<F>::from_double(x0 > 0.45 ? 1.0 : -1.0);
    }
}

// The reference: features from the stored weights and inputs in long double, (H^T C H + Lambda)
// x = H^T C y by Gaussian elimination with partial pivoting; x[P] is the output bias.
template <class F, class Net, class D>
void reference_solution(const Net& net, const D& d, long double lam, long double* x) {
    long double A[K][K + 1] = {};
    for (index_t mu = 0; mu < d.samples(); ++mu) {
        long double h[K];
        for (index_t k = 0; k < P; ++k) {
            long double s = 0;
            for (index_t j = 0; j < N; ++j)
                s += (long double)format_traits<F>::to_double(net.W()(k, j)) * format_traits<F>::to_double(d.X(mu, j));
            h[k] = std::tanh(s / std::sqrt((long double)N) + format_traits<F>::to_double(net.hidden_bias()[k]));
        }
        h[P] = 1;
        const long double y = format_traits<F>::to_double(d.y[mu]);
        const long double c = y > 0 ? w_pos : w_neg;
        for (index_t i = 0; i < K; ++i) {
            for (index_t j = 0; j < K; ++j) A[i][j] += c * h[i] * h[j];
            A[i][K] += c * h[i] * y;
        }
    }
    for (index_t i = 0; i < P; ++i) A[i][i] += lam;
    for (index_t col = 0; col < K; ++col) {
        index_t piv = col;
        for (index_t r = col + 1; r < K; ++r)
            if (std::fabs(A[r][col]) > std::fabs(A[piv][col])) piv = r;
        for (index_t j = 0; j <= K; ++j) std::swap(A[col][j], A[piv][j]);
        for (index_t r = col + 1; r < K; ++r) {
            const long double f = A[r][col] / A[col][col];
            for (index_t j = col; j <= K; ++j) A[r][j] -= f * A[col][j];
        }
    }
    for (index_t i = K; i-- > 0;) {
        long double s = A[i][K];
        for (index_t j = i + 1; j < K; ++j) s -= A[i][j] * x[j];
        x[i] = s / A[i][i];
    }
}

template <class F>
weighted_squared_loss<compute_t<F>> class_weights() {
    weighted_squared_loss<compute_t<F>> l;
    l.weight_positive = compute_t<F>(w_pos);
    l.weight_negative = compute_t<F>(w_neg);
    return l;
}

// The largest |v_k - x_k| (and |c - x_P|).
template <class F, class Net>
double max_error(const Net& net, const long double* x) {
    double e = std::fabs(format_traits<F>::to_double(net.output_bias()) - double(x[P]));
    for (index_t k = 0; k < P; ++k) e = std::fmax(e, std::fabs(format_traits<F>::to_double(net.v()[k]) - double(x[k])));
    return e;
}

// The ridge solution of a network of format F against the reference, within tol.
template <class F>
void ridge_against_reference(double tol) {
    static network<F, N, P, act::tanh> net;
    static dataset<storage_t<F>, M, N> d;
    make_network(net);
    make_data<F>(d);
    const tl_test::weight_snapshot<network<F, N, P, act::tanh>> before(net);
    readout_ridge<P> ridge;
    const ridge_result r = ridge.solve(net, d, class_weights<F>(), lambda);
    TL_REQUIRE(r.ok());
    long double x[K];
    reference_solution<F>(net, d, lambda, x);
    const double e = max_error<F>(net, x);
    TL_INFO("    %s: max |solution - reference| = %.2e (bound %.1e)\n", format_traits<F>::name, e, tol);
    TL_CHECK(e <= tol);
    TL_CHECK(before.same_first_layer(net));
    TL_CHECK(std::memcmp(before.b, net.hidden_bias().data(), sizeof before.b) == 0);
}

// double: rounding of the normal equations (condition number ~ 1e2); float: the features in float
// (a few eps_f); q3_12: the stored values rounded to 2^-12 (half a unit, 1.2e-4), features in float.
TL_TEST(ridge_against_double_reference) {
    ridge_against_reference<double>(1e-12);
    ridge_against_reference<float>(2e-6);
    ridge_against_reference<q3_12>(0.5 * format_traits<q3_12>::resolution + 2e-5);
}

// Many GD steps on the mean weighted loss with decay lambda / M reach the ridge solution.
TL_TEST(ridge_equals_gd_limit) {
    static network<double, N, P, act::tanh> a, b;
    static dataset<double, M, N> d;
    make_network(a);
    make_network(b);
    make_data<double>(d);
    const tl_test::weight_snapshot<network<double, N, P, act::tanh>> before(b);
    readout_ridge<P> ridge;
    TL_REQUIRE(ridge.solve(a, d, class_weights<double>(), lambda).ok());
    readout_gd<double, N, P> gd(class_weights<double>());
    gd.config.lr_v = gd.config.lr_b = 0.5;
    gd.config.weight_decay_v = lambda / M;
    double first = 0, last = 0;
    for (int s = 0; s < 1500; ++s) {
        const step_result<double> r = gd.step(b, d);
        TL_REQUIRE(r.ok());
        if (s == 0) first = r.loss;
        last = r.loss;
    }
    double e = std::fabs(a.output_bias() - b.output_bias());
    for (index_t k = 0; k < P; ++k) e = std::fmax(e, std::fabs(a.v()[k] - b.v()[k]));
    TL_INFO("    GD: weighted loss %.4f -> %.4f; max |v_gd - v_ridge| = %.2e after %llu steps\n", first, last, e,
            (unsigned long long)gd.steps());
    TL_CHECK(e < 1e-10);
    TL_CHECK(before.same_first_layer(b));
    TL_CHECK(std::memcmp(before.b, b.hidden_bias().data(), sizeof before.b) == 0);
}

// Every failure writes nothing: v and c keep their bytes.
TL_TEST(failures_leave_the_readout) {
    using net_t = network<double, N, P, act::tanh>;
    static net_t net;
    make_network(net);
    const tl_test::weight_snapshot<net_t> before(net);
    readout_ridge<P> ridge;

    static dataset<double, 3, N> few;  // 3 samples, 5 unknowns
    make_data<double, 3>(few);
    ridge_result r = ridge.solve(net, few, class_weights<double>(), 0.0);
    TL_INFO("    lambda = 0, 3 samples: %s (pivot %u)\n", to_string(r.status), unsigned(r.index));
    TL_CHECK(r.status == ridge_status::not_positive_definite);
    TL_CHECK(r.index >= 3);
    TL_CHECK(before.same_as(net));
    TL_CHECK(ridge.solve(net, few, class_weights<double>(), 0.1).ok());  // any lambda > 0 makes it definite
    make_network(net);

    static dataset<double, M, N> d;
    make_data<double>(d);
    TL_CHECK(ridge.solve(net, d, class_weights<double>(), -1.0).status == ridge_status::bad_setting);
    weighted_squared_loss<double> negative = class_weights<double>();
    negative.weight_negative = -1;
    TL_CHECK(ridge.solve(net, d, negative, lambda).status == ridge_status::bad_setting);
    d.y[7] = tl_test::quiet_nan<double>();
    r = ridge.solve(net, d, class_weights<double>(), lambda);
    TL_CHECK(r.status == ridge_status::nonfinite_label && r.index == 7);
    make_data<double>(d);
    ridge.weight_limit = 0.01;
    TL_CHECK(ridge.solve(net, d, class_weights<double>(), lambda).status == ridge_status::out_of_range);
    TL_CHECK(before.same_as(net));

    // q3_12: tiny features (W scaled by 1/256) need a readout past the format's range (+-8).
    using qnet = network<q3_12, N, P, act::tanh>;
    static qnet q;
    make_network(q);
    for (auto& w : q.W_mut().flat()) w = q3_12(format_traits<q3_12>::to_double(w) / 256);
    for (auto& b : q.hidden_bias_mut()) b = q3_12(0.0);
    static dataset<q3_12, M, N> dq;
    make_data<q3_12>(dq);
    const tl_test::weight_snapshot<qnet> qbefore(q);
    const std::uint32_t sat0 = q3_12::counters().saturations;
    r = readout_ridge<P>{}.solve(q, dq, class_weights<q3_12>(), 1e-3);
    TL_INFO("    q3_12 with tiny features: %s (entry %u)\n", to_string(r.status), unsigned(r.index));
    TL_CHECK(r.status == ridge_status::out_of_range);
    TL_CHECK(qbefore.same_as(q));
    TL_CHECK(q3_12::counters().saturations == sat0);
}

// A const first layer: the readout_network reads it in place; both methods give exactly what they
// give on a network holding the same first layer in RAM.
TL_TEST(const_first_layer) {
    using net_t = network<double, N, P, act::tanh>;
    static net_t ram;
    make_network(ram);
    static readout_network<double, N, P, act::tanh> flash{mat_view<const double, P, N>(W_flash),
                                                          vec_view<const double, P>(b_flash)};
    flash.use_output_bias(true);
    for (auto& v : flash.v_mut()) v = 0.5;
    TL_CHECK(flash.uses_hidden_bias());
    static dataset<double, M, N> d;
    make_data<double>(d);
    TL_CHECK(flash.forward(d.X.view().row(0)) == ram.forward(d.X.view().row(0)));

    readout_ridge<P> ridge;
    TL_REQUIRE(ridge.solve(flash, d, class_weights<double>(), lambda).ok());
    TL_REQUIRE(ridge.solve(ram, d, class_weights<double>(), lambda).ok());
    TL_CHECK(std::memcmp(flash.v().data(), ram.v().data(), sizeof(double) * P) == 0);
    TL_CHECK(flash.output_bias() == ram.output_bias());

    readout_gd<double, N, P> gd_flash(class_weights<double>()), gd_ram(class_weights<double>());
    for (int s = 0; s < 20; ++s) {
        TL_REQUIRE(gd_flash.step(flash, d).ok());
        TL_REQUIRE(gd_ram.step(ram, d).ok());
    }
    TL_CHECK(std::memcmp(flash.v().data(), ram.v().data(), sizeof(double) * P) == 0);
    TL_CHECK(flash.output_bias() == ram.output_bias());
    TL_CHECK(flash.W().data() == W_flash && flash.hidden_bias().data() == b_flash);
    double W_copy[P * N];
    std::memcpy(W_copy, W_flash, sizeof W_copy);
    TL_CHECK(std::memcmp(W_copy, ram.W().data(), sizeof W_copy) == 0);  // RAM's first layer as loaded

    // A float network solves in double and stores rounded: the same as the double solution rounded.
    using fnet = network<float, N, P, act::tanh>;
    static fnet f;
    make_network(f);
    static dataset<float, M, N> df;
    make_data<float>(df);
    readout_ridge<P> rf;
    TL_REQUIRE(rf.solve(f, df, class_weights<float>(), lambda).ok());
    for (index_t k = 0; k < P; ++k) TL_CHECK(f.v()[k] == float(rf.solution(k)));
}

}  // namespace
