// Last-layer retraining: the first layer (W and the hidden biases) frozen and only read, the
// readout v (and the output bias c, if the network uses it) refitted on a small fixed dataset
// with per-class loss weights (labels +-1; weight w+ for y > 0, w- for y < 0: the
// weighted_squared_loss of model/loss.hpp). Two ways:
//   - readout_gd: guarded full-batch GD on the mean weighted loss, the batch trainer's own step
//     (batch_step: accumulate, plan, check, write) with every first-layer group switched off;
//   - readout_ridge: the closed form of the weighted ridge problem
//         min_v  sum_i c_i (v . h_i + c - y_i)^2 / 2 + lambda |v|^2 / 2,
//         h_i = g(W x_i / sqrt N + b),  c_i = w+ or w- by the sign of y_i,
//     i.e. (H^T C H + lambda I) v = H^T C y (with the bias: h_i extended by a 1 and c not
//     penalized), a K x K symmetric positive definite system, K = P or P + 1, solved by Cholesky
//     in fixed storage inside the object.
// GD's mean loss plus its weight decay 0.5 wd_v |v|^2 has the same minimizer as the ridge problem
// with lambda = M wd_v (M samples), so many GD steps converge to the ridge solution.
//
// The first layer may be const data (flash): readout_network holds it as const views and owns the
// rest (v, c, the forward cache); nothing in this header writes W or b of any network, and a
// readout_network cannot be handed to a trainer that would (it is not a network_ref).
#pragma once
#include <cstdint>
#include <limits>
#include <type_traits>

#include "twolayer/model/dataset.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/train/batch_gd.hpp"
#include "twolayer/train/rounding.hpp"

namespace twolayer {

namespace detail {
template <class Net>
struct readout_access;
}  // namespace detail

// A network whose first layer is read-only: W (P x N) and, optionally, the hidden biases are const
// views of the caller's storage (e.g. const arrays in flash), which must outlive it; v, c and the
// forward cache are inside the object. Starts with v = 1, c = 0 and the output bias off. For
// inference (forward) and the readout trainers below, which take it where they take a network.
template <class F, index_t N, index_t P, class Act = act::erf>
class readout_network {
    using S = storage_t<F>;
    using C = compute_t<F>;

public:
    using format = F;
    using value_type = S;
    using compute_type = C;
    using activation = Act;
    static constexpr index_t inputs() { return N; }
    static constexpr index_t hidden() { return P; }

    // W: the frozen first layer; b: its hidden biases (a null view: none).
    explicit readout_network(mat_view<const S, P, N> W, vec_view<const S, P> b = {}) : W_(W), b_(b) {
        fill(v_.view(), store_as<F>(C(1)));
        fill(b_zero_.view(), S{});
        fill(lambda_.view(), C(0));
        fill(g_.view(), C(0));
        fill(delta_.view(), C(0));
        head_.use_hidden_bias(b.data() != nullptr);
    }

    // The frozen first layer and its hidden biases (zeros when there are none), read-only; the
    // readout v, c and the output bias switch, writable; the activations of the last forward pass.
    mat_view<const S, P, N> W() const { return W_; }
    vec_view<const S, P> hidden_bias() const { return b_.data() ? b_ : b_zero_.view(); }
    bool uses_hidden_bias() const { return head_.hidden_bias_on(); }
    vec_view<const S, P> v() const { return v_.view(); }
    vec_view<S, P> v_mut() { return v_.view(); }
    S output_bias() const { return head_.output_bias; }
    void set_output_bias(S c) { head_.output_bias = c; }
    bool uses_output_bias() const { return head_.output_bias_on(); }
    void use_output_bias(bool on) { head_.use_output_bias(on); }
    vec_view<const C, P> g() const { return g_.view(); }

    // The output on x (a vec_view or an array of N values of S): twolayer::forward's contract.
    template <class X, class Arch = arch::default_arch, std::enable_if_t<is_vector_like_v<X>, int> = 0>
    C forward(const X& x, Arch a = {}) {
        static_assert(std::is_same<element_of_t<X>, S>::value,
                      "readout_network::forward: the sample's element type is not the network's storage type");
        return detail::checked_forward(ref(), as_const_view(x), a);
    }

private:
    template <class Net>
    friend struct detail::readout_access;
    // The views the library's passes take. W and b are const_cast only because network_ref's
    // views are writable; the readout paths never write them (the plans switch them off).
    network_ref<F, N, P, Act> ref() {
        const vec_view<const S, P> b = hidden_bias();
        return {mat_view<S, P, N>(const_cast<S*>(W_.data())), v_.view(), vec_view<S, P>(const_cast<S*>(b.data())),
                lambda_.view(), g_.view(), delta_.view(), &head_};
    }

    mat_view<const S, P, N> W_;
    vec_view<const S, P> b_;
    vec<S, P> v_;
    vec<S, P> b_zero_;  // what the views show as b when there are no hidden biases
    vec<C, P> lambda_, g_, delta_;
    network_head<F> head_;
};

namespace detail {
// The network_ref the readout paths work on: a network's or network_ref's own, or a
// readout_network's (whose first layer is const).
template <class Net>
struct readout_access {
    static auto ref(Net& n) { return to_ref(n); }
};
template <class F, index_t N, index_t P, class Act>
struct readout_access<readout_network<F, N, P, Act>> {
    static network_ref<F, N, P, Act> ref(readout_network<F, N, P, Act>& n) { return n.ref(); }
};
template <class Net>
auto readout_ref(Net& n) {
    return readout_access<std::remove_const_t<Net>>::ref(n);
}
template <class Net>
struct readout_like : network_like<Net> {};
template <class F, index_t N, index_t P, class Act>
struct readout_like<readout_network<F, N, P, Act>> : std::true_type {};
}  // namespace detail

// Net is a network, a network_ref or a readout_network.
template <class Net>
inline constexpr bool is_readout_target_v = detail::readout_like<std::remove_cv_t<std::remove_reference_t<Net>>>::value;
// The format of such a Net.
template <class Net>
using readout_format_t = typename decltype(detail::readout_ref(std::declval<std::remove_reference_t<Net>&>()))::format;

// ---- GD on the readout ------------------------------------------------------------------------

// Full-batch GD of the readout on the mean weighted squared loss, for networks of format F with N
// inputs and P hidden units: gd_trainer's step (the same order of checks, guard, rounding and
// counters) with W and the hidden biases out of the plan whatever config says, so the first
// layer is only read. config.train_v and train_b (here: the output bias alone) choose what is
// fitted; the default config uses lr_scaling::plain. Like gd_trainer it keeps the gradient sums
// of every parameter in the object (the first layer's are computed and discarded: the price of
// reusing the batch pass; readout_ridge needs none).
template <class F, index_t N, index_t P, class Rounding = round_nearest>
class readout_gd {
    using S = storage_t<F>;
    using C = compute_t<F>;
    template <class A>
    using if_arch = std::enable_if_t<std::is_base_of<kernels::scalar, A>::value, int>;
    static train_config<C> readout_config() {
        train_config<C> c;
        c.train_w = false;
        c.scaling = lr_scaling::plain;
        return c;
    }

public:
    train_config<C> config = readout_config();  // lr_v, lr_b, weight_decay_v, weight_limit, schedule
    weighted_squared_loss<C> loss{};            // the class weights
    Rounding rounding{};

    // The class weights (default 1 and 1: the plain squared loss).
    readout_gd() = default;
    explicit readout_gd(const weighted_squared_loss<C>& l) : loss(l) {}

    std::uint64_t steps() const { return steps_; }        // accepted steps
    std::uint64_t rejected() const { return rejected_; }  // refused steps

    // One guarded GD step of the readout on the whole dataset (net: a network, a network_ref or a
    // readout_network of format F; data: a dataset or dataset_ref of storage_t<F>). Checks, in
    // gd_trainer's order, writing nothing on a failure: an empty dataset, sizes, alignment, the
    // settings, every sample and label and output, the schedule, the update of v and c.
    template <class Net, class D, class Arch = arch::default_arch,
              std::enable_if_t<is_readout_target_v<Net> && is_dataset_v<D>, int> = 0, if_arch<Arch> = 0>
    step_result<C> step(Net&& network_, const D& data_, Arch arch = {}) {
        using R = decltype(detail::readout_ref(network_));
        static_assert(std::is_same<typename R::format, F>::value, "readout_gd<F, ...>: the network's format is not F");
        using step_t = batch_step<F>;
        const R net = detail::readout_ref(network_);
        const auto& data = to_ref(data_);
        step_result<C> r;
        const index_t m = data.samples();
        if (m == 0) return counted(failed(r, step_status::empty_batch));
        if (!net.sizes_agree() || net.inputs() != N || net.hidden() != P || !data.sizes_agree() ||
            data.inputs() != net.inputs())
            return counted(failed(r, step_status::size_mismatch));
        if (!net.aligned() || !data.aligned()) return counted(failed(r, step_status::misaligned_buffer));
        if (!guard::config_ok(config)) return counted(failed(r, step_status::bad_config));
        r = step_t::accumulate(net, data, m, [](index_t i) { return i; }, loss, grads_.ref(), arch);
        if (!r) return counted(r);
        const C s = config.schedule ? config.schedule(steps_, config.schedule_ctx) : C(1);
        if (!guard::rate_ok(s)) return counted(failed(r, step_status::bad_config));
        typename step_t::update_plan u(config, net, m, s, rounds_to_nearest_v<Rounding>);
        u.w.on = false;   // the first layer is frozen (and may be read-only memory)
        u.hb.on = false;
        typename step_t::no_master* no_master = nullptr;
        C w_max(0);
        r.status = step_t::check(u, net, no_master, grads_.ref(), w_max);
        if (!r) return counted(r);
        step_t::write(u, net, no_master, grads_.ref(), rounding, w_max);
        return counted(r);
    }

private:
    gradients<C, N, P> grads_{};
    std::uint64_t steps_ = 0, rejected_ = 0;
    static step_result<C> failed(step_result<C> r, step_status s) {
        r.status = s;
        return r;
    }
    step_result<C> counted(step_result<C> r) {
        if (r.ok()) ++steps_; else ++rejected_;
        return r;
    }
};

// ---- The closed form ---------------------------------------------------------------------------

// Why a ridge solve wrote nothing (ok: v and c hold the solution).
enum class ridge_status : std::uint8_t {
    ok = 0,
    empty_dataset,          // no samples
    size_mismatch,          // network, dataset or labels of other sizes (or P past the solver's)
    misaligned_buffer,      // a buffer not aligned for its element type
    bad_setting,            // lambda or a class weight negative or not finite
    nonfinite_input,        // a sample has a NaN or Inf
    nonfinite_label,        // a label is NaN or Inf
    nonfinite_feature,      // a hidden unit's output g(lambda_k) is not finite
    not_positive_definite,  // H^T C H + lambda I singular to working precision (lambda = 0 and
                            // fewer independent samples than unknowns, a dead unit, w+- = 0)
    nonfinite_solution,     // a solution value is NaN or Inf
    out_of_range,           // a solution value past the weight limit or the format's range (a
                            // fixed-point value would saturate): refused, not clamped
};

// A short description of a status, for logs.
inline const char* to_string(ridge_status s) {
    switch (s) {
        case ridge_status::ok: return "ok";
        case ridge_status::empty_dataset: return "empty dataset";
        case ridge_status::size_mismatch: return "sizes of the network, the dataset or the solver disagree";
        case ridge_status::misaligned_buffer: return "a buffer is not aligned for its element type";
        case ridge_status::bad_setting: return "lambda or a class weight negative or not finite";
        case ridge_status::nonfinite_input: return "non-finite input sample";
        case ridge_status::nonfinite_label: return "non-finite label";
        case ridge_status::nonfinite_feature: return "non-finite hidden-unit output";
        case ridge_status::not_positive_definite: return "normal equations not positive definite (singular)";
        case ridge_status::nonfinite_solution: return "non-finite solution";
        case ridge_status::out_of_range: return "solution past the weight limit or the format's range";
    }
    return "unknown";
}

// What a solve reports.
struct ridge_result {
    ridge_status status = ridge_status::ok;
    index_t index = 0;  // the sample (input, label, feature), the pivot or the solution entry at fault
    bool ok() const { return status == ridge_status::ok; }
    explicit operator bool() const { return ok(); }
};

// The weighted ridge readout for networks of up to P hidden units, in arithmetic T (double by
// default). Why double: the normal equations square the feature matrix's condition number, so a
// float solve loses twice the digits a float network has; P is small on a device (P = 32: 33 x 33
// values), and even soft-float double on a Cortex-M4 does the O(M K^2 + K^3 / 6) work quickly. The
// features are the network's own forward pass (its compute type and kernels: the h the network
// computes at inference), accumulated into the normal equations in T. Storage: the lower triangle
// of the K x K matrix, packed, and K values (K <= P + 1), inside the object.
// Fixed-point and narrow networks: the features are computed in their compute type (float), the
// solve runs in T, and the solution is stored rounded to nearest (format_traits::from_double); a
// value that would leave the format's range (and so saturate), pass a quarter of a floating
// format's range or pass weight_limit is refused (out_of_range) and nothing is written.
template <index_t P, class T = double>
class readout_ridge {
    static_assert(P >= 1, "readout_ridge<P>: P must be at least 1");
    static_assert(std::is_same<T, float>::value || std::is_same<T, double>::value,
                  "readout_ridge<P, T>: T must be float or double");
    static constexpr index_t K = P + 1;

public:
    // Refuse solution values past this magnitude (0: only the format's own range).
    double weight_limit = 0;
    // A pivot at most pivot_tolerance K eps max_i A_ii is taken as 0: the matrix is then singular
    // to working precision (condition number past about 1 / (pivot_tolerance K eps)).
    T pivot_tolerance = T(16);

    // Solves for the readout of net (a network, a network_ref or a readout_network with at most P
    // hidden units; its output bias too when it uses one) on data with the class weights of loss
    // and the ridge penalty lambda (>= 0) on v. Checks, in order, writing nothing on a failure:
    // the dataset's samples, sizes, alignment, the settings, then per sample the input, the label
    // and the features; the factorization; the solution. On success v (and c) hold the solution
    // in the network's format; the network's forward cache holds the last sample's pass.
    template <class Net, class D, class Arch = arch::default_arch,
              std::enable_if_t<is_readout_target_v<Net> && is_dataset_v<D>, int> = 0>
    ridge_result solve(Net&& network_, const D& data_, const weighted_squared_loss<compute_t<readout_format_t<Net>>>& loss,
                       T lambda, Arch arch = {}) {
        using F = readout_format_t<Net>;
        using C = compute_t<F>;
        using S = storage_t<F>;
        const auto net = detail::readout_ref(network_);
        const auto& data = to_ref(data_);
        static_assert(std::is_same<typename std::decay_t<decltype(data)>::value_type, S>::value,
                      "readout_ridge::solve: the dataset is not of the network's storage type");
        constexpr index_t PN = decltype(net)::p_extent;
        static_assert(PN == dynamic_extent || PN <= P, "readout_ridge<P>::solve: the network has more than P hidden units");
        ridge_result r;
        const index_t m = data.samples();
        if (m == 0) return failed(ridge_status::empty_dataset);
        if (!net.sizes_agree() || net.hidden() > P || !data.sizes_agree() || data.inputs() != net.inputs())
            return failed(ridge_status::size_mismatch);
        if (!net.aligned() || !data.aligned()) return failed(ridge_status::misaligned_buffer);
        const T wp = T(loss.weight_positive), wn = T(loss.weight_negative);
        if (!guard::rate_ok(lambda) || !guard::rate_ok(wp) || !guard::rate_ok(wn) || !(weight_limit >= 0) ||
            !math::isfinite(weight_limit))
            return failed(ridge_status::bad_setting);
        const index_t p = net.hidden();
        const bool bias = net.head->output_bias_on();
        const index_t k = bias ? p + 1 : p;
        for (index_t i = 0; i < at(k, 0); ++i) A_[i] = T(0);
        for (index_t i = 0; i < k; ++i) x_[i] = T(0);

        // The normal equations, sample by sample: A += c h h^T (lower triangle), x += c y h.
        T h[K];
        for (index_t mu = 0; mu < m; ++mu) {
            const auto xs = data.sample(mu);
            if (!guard::scan<F>(xs).finite) return failed(ridge_status::nonfinite_input, mu);
            const C y = value_of<F>(data.y[mu]);
            if (!math::isfinite(y)) return failed(ridge_status::nonfinite_label, mu);
            detail::forward_pass(net, xs, arch);
            for (index_t j = 0; j < p; ++j) {
                h[j] = T(net.g[j]);
                if (!math::isfinite(h[j])) return failed(ridge_status::nonfinite_feature, mu);
            }
            if (bias) h[p] = T(1);
            const T c = T(loss.weight(y));
            for (index_t i = 0; i < k; ++i) {
                const T ch = c * h[i];
                for (index_t j = 0; j <= i; ++j) A_[at(i, j)] += ch * h[j];
                x_[i] += ch * T(y);
            }
        }
        for (index_t i = 0; i < p; ++i) A_[at(i, i)] += lambda;  // c is not penalized
        index_t pivot = 0;
        if (!factor(k, pivot)) return failed(ridge_status::not_positive_definite, pivot);
        substitute(k);

        // Every value finite and storable within the limits before the first write.
        const double ceiling = ceiling_of<F>();
        for (index_t i = 0; i < k; ++i) {
            if (!math::isfinite(x_[i])) return failed(ridge_status::nonfinite_solution, i);
            if (!(math::abs(double(x_[i])) <= ceiling)) return failed(ridge_status::out_of_range, i);
            const double stored = format_traits<F>::to_double(format_traits<F>::from_double(double(x_[i])));
            if (!(math::abs(stored) <= ceiling)) return failed(ridge_status::out_of_range, i);
        }
        for (index_t i = 0; i < p; ++i) net.v[i] = format_traits<F>::from_double(double(x_[i]));
        if (bias) net.head->output_bias = format_traits<F>::from_double(double(x_[p]));
        return r;
    }

    // The solution of the last successful solve (k < P: v_k; k = P: c), in T, before rounding.
    T solution(index_t k) const { return x_[k]; }

private:
    T A_[K * (K + 1) / 2] = {};  // lower triangle, row-major packed: (i, j), j <= i, at i (i + 1) / 2 + j
    T x_[K] = {};                // right-hand side, then the solution
    static index_t at(index_t i, index_t j) { return i * (i + 1) / 2 + j; }
    static ridge_result failed(ridge_status s, index_t i = 0) { return {s, i}; }
    // The largest magnitude a solution value may have: the weight limit if set and tighter, else
    // a fixed format's whole range (never saturate) or a quarter of a floating format's (the
    // trainers' ceiling, guard::limits).
    template <class F>
    double ceiling_of() const {
        const double range = format_traits<F>::is_fixed ? format_traits<F>::max : format_traits<F>::max / 4;
        return weight_limit > 0 && weight_limit < range ? weight_limit : range;
    }

    // Cholesky A = L L^T in place; false (pivot: its index) if a pivot is not above the tolerance.
    bool factor(index_t k, index_t& pivot) {
        T maxdiag(0);
        for (index_t i = 0; i < k; ++i)
            if (A_[at(i, i)] > maxdiag) maxdiag = A_[at(i, i)];
        const T tol = pivot_tolerance * T(k) * std::numeric_limits<T>::epsilon() * maxdiag;
        for (index_t j = 0; j < k; ++j) {
            T d = A_[at(j, j)];
            for (index_t l = 0; l < j; ++l) d -= A_[at(j, l)] * A_[at(j, l)];
            if (!(d > tol) || !math::isfinite(d)) { pivot = j; return false; }
            const T ljj = math::sqrt(d);
            A_[at(j, j)] = ljj;
            for (index_t i = j + 1; i < k; ++i) {
                T s = A_[at(i, j)];
                for (index_t l = 0; l < j; ++l) s -= A_[at(i, l)] * A_[at(j, l)];
                A_[at(i, j)] = s / ljj;
            }
        }
        return true;
    }
    // L L^T x = x (forward, then back substitution).
    void substitute(index_t k) {
        for (index_t i = 0; i < k; ++i) {
            T s = x_[i];
            for (index_t l = 0; l < i; ++l) s -= A_[at(i, l)] * x_[l];
            x_[i] = s / A_[at(i, i)];
        }
        for (index_t i = k; i-- > 0;) {
            T s = x_[i];
            for (index_t l = i + 1; l < k; ++l) s -= A_[at(l, i)] * x_[l];
            x_[i] = s / A_[at(i, i)];
        }
    }
};

}  // namespace twolayer
