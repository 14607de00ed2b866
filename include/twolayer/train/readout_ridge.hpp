// Last-layer retraining in closed form (train/readout.hpp says more): the weighted ridge
// solution of the readout by Cholesky in fixed storage.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "twolayer/model/dataset.hpp"
#include "twolayer/model/loss.hpp"
#include "twolayer/model/network.hpp"
#include "twolayer/train/batch_gd.hpp"
#include "twolayer/train/readout_network.hpp"

namespace twolayer {

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
