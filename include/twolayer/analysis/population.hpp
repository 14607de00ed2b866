// Population quantities: the loss over x ~ N(0, I_N) in closed form, its exact gradient in the
// weights, and the population Hessian by central differences of that gradient, for a student and
// a teacher of the same activation (erf, ReLU, quadratic, linear) without biases.
//
//   eps(W, v) = 0.5 [ sum_ik v_i v_k K(Q_ii, Q_kk, Q_ik) - 2 sum_in v_i v*_n K(Q_ii, T_nn, R_in)
//                     + sum_nm v*_n v*_m K(T_nn, T_mm, T_nm) ],   Q = W W^T/N, R = W W*^T/N,
// with K(c_aa, c_bb, c_ab) = E[g(a) g(b)] the kernels of teacher/generalization_error.hpp. The
// gradient follows by the chain rule through Q and R (dQ_ik/dw_i = w_k/N, dQ_ii/dw_i = 2 w_i/N,
// dR_in/dw_i = w*_n/N):
//   grad_{w_i} = (1/N) [ 2 D_i w_i + sum_{k != i} v_i v_k K_c(i,k) w_k - sum_n v_i v*_n K_c(i,n) w*_n ]
//   D_i = sum_k v_i v_k K_a(i,k) + 0.5 v_i^2 K_c(i,i) - sum_n v_i v*_n K_a(i,n)
//   grad_{v_i} = sum_k v_k K(i,k) - sum_n v*_n K(i,n)
// where K_a = dK/dc_aa (the first argument, the unit's own variance) and K_c = dK/dc_ab.
// Everything is double; no heap: the caller passes a scratch buffer of population_scratch_size
// doubles. The sizes may be static (a device) or dynamic (the host tool).
#pragma once
#include <cmath>

#include "twolayer/analysis/hessian_blocks.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/model/activation.hpp"
#include "twolayer/teacher/generalization_error.hpp"

namespace twolayer {
namespace population {

// The three partial derivatives of K(c_aa, c_bb, c_ab).
struct kernel_gradient {
    double daa = 0, dbb = 0, dab = 0;
};

// erf: K = (2/pi) asin(u), u = c_ab / sqrt((1 + c_aa)(1 + c_bb)).
inline kernel_gradient kernel_derivatives(act::erf, double caa, double cbb, double cab) {
    const double d = (1 + caa) * (1 + cbb) - cab * cab;  // > 0 for a covariance
    const double f = (2 / kernel_of::pi) / std::sqrt(d);
    return {-f * cab / (2 * (1 + caa)), -f * cab / (2 * (1 + cbb)), f};
}
// ReLU: K = (sqrt(c_aa c_bb - c_ab^2) + (pi - theta) c_ab) / (2 pi), cos theta = c_ab / sqrt(c_aa c_bb):
// dK/dc_ab = (pi - theta) / (2 pi), dK/dc_aa = sqrt(c_aa c_bb - c_ab^2) / (4 pi c_aa). A unit with
// zero weights (c_aa = 0) gets zero derivatives: relu'(0) is taken as 0.
inline kernel_gradient kernel_derivatives(act::relu, double caa, double cbb, double cab) {
    const double pi = kernel_of::pi;
    const double s = std::sqrt(caa * cbb);
    if (s == 0) return {};
    double c = cab / s;
    c = c > 1 ? 1 : (c < -1 ? -1 : c);
    const double theta = std::acos(c);
    const double sine = std::sqrt(std::fmax(caa * cbb - cab * cab, 0.0));
    return {sine / (4 * pi * caa), sine / (4 * pi * cbb), (pi - theta) / (2 * pi)};
}
// Quadratic: K = c_aa c_bb + 2 c_ab^2.
inline kernel_gradient kernel_derivatives(act::quadratic, double caa, double cbb, double cab) {
    return {cbb, caa, 4 * cab};
}
// Linear: K = c_ab.
inline kernel_gradient kernel_derivatives(act::linear, double, double, double) { return {0, 0, 1}; }

// Doubles of scratch the functions below need for P student and PT teacher units.
constexpr index_t population_scratch_size(index_t P, index_t PT) { return P * P + P * PT + PT * PT; }

namespace detail {
// Q, R, T into the scratch (row-major, in that order).
template <class W, class WT>
void fill_overlaps(const W& w, const WT& wt, double* scratch) {
    const index_t P = w.rows(), PT = wt.rows(), N = w.cols();
    double* Q = scratch;
    double* R = Q + P * P;
    double* T = R + P * PT;
    const auto dot = [N](const auto& a, index_t i, const auto& b, index_t k) {
        double s = 0;
        for (index_t j = 0; j < N; ++j) s += double(a(i, j)) * double(b(k, j));
        return s / double(N);
    };
    for (index_t i = 0; i < P; ++i)
        for (index_t k = i; k < P; ++k) Q[i * P + k] = Q[k * P + i] = dot(w, i, w, k);
    for (index_t i = 0; i < P; ++i)
        for (index_t n = 0; n < PT; ++n) R[i * PT + n] = dot(w, i, wt, n);
    for (index_t n = 0; n < PT; ++n)
        for (index_t m = n; m < PT; ++m) T[n * PT + m] = T[m * PT + n] = dot(wt, n, wt, m);
}
}  // namespace detail

// The population loss eps(W, v) of the student (W, v) against the teacher (wt, vt): the same value
// as generalization_error, from the weights. scratch: population_scratch_size(P, PT) doubles.
template <class Act, class W, class V, class WT, class VT, index_t ES>
double loss(Act g, const W& w, const V& v, const WT& wt, const VT& vt, vec_view<double, ES> scratch) {
    const index_t P = w.rows(), PT = wt.rows();
    detail::fill_overlaps(w, wt, scratch.data());
    const double* Q = scratch.data();
    const double* R = Q + P * P;
    const double* T = R + P * PT;
    double ss = 0, st = 0, tt = 0;
    for (index_t i = 0; i < P; ++i)
        for (index_t k = 0; k < P; ++k)
            ss += double(v[i]) * double(v[k]) * kernel_of::value(g, Q[i * P + i], Q[k * P + k], Q[i * P + k]);
    for (index_t i = 0; i < P; ++i)
        for (index_t n = 0; n < PT; ++n)
            st += double(v[i]) * double(vt[n]) * kernel_of::value(g, Q[i * P + i], T[n * PT + n], R[i * PT + n]);
    for (index_t n = 0; n < PT; ++n)
        for (index_t m = 0; m < PT; ++m)
            tt += double(vt[n]) * double(vt[m]) * kernel_of::value(g, T[n * PT + n], T[m * PT + m], T[n * PT + m]);
    return 0.5 * (ss - 2 * st + tt);
}

// The population loss and its exact gradient: gw (P x N) and gv (P) are overwritten. Pass an
// empty gv view (size 0) when the second layer is not wanted. Returns the loss.
template <class Act, class W, class V, class WT, class VT, class GW, class GV, index_t ES>
double loss_and_gradient(Act g, const W& w, const V& v, const WT& wt, const VT& vt, const GW& gw, const GV& gv,
                         vec_view<double, ES> scratch) {
    const index_t P = w.rows(), PT = wt.rows(), N = w.cols();
    const double e = loss(g, w, v, wt, vt, scratch);  // leaves Q, R, T in the scratch
    const double* Q = scratch.data();
    const double* R = Q + P * P;
    const double* T = R + P * PT;
    for (index_t i = 0; i < P; ++i) {
        const double vi = double(v[i]), qi = Q[i * P + i];
        double diag = 0, gvi = 0;
        for (index_t j = 0; j < N; ++j) gw(i, j) = 0;
        for (index_t k = 0; k < P; ++k) {
            const double vk = double(v[k]);
            const kernel_gradient d = kernel_derivatives(g, qi, Q[k * P + k], Q[i * P + k]);
            diag += vi * vk * d.daa;
            gvi += vk * kernel_of::value(g, qi, Q[k * P + k], Q[i * P + k]);
            if (k == i) {
                diag += 0.5 * vi * vi * d.dab;
                continue;
            }
            const double c = vi * vk * d.dab;
            for (index_t j = 0; j < N; ++j) gw(i, j) += c * double(w(k, j));
        }
        for (index_t n = 0; n < PT; ++n) {
            const double vn = double(vt[n]);
            const kernel_gradient d = kernel_derivatives(g, qi, T[n * PT + n], R[i * PT + n]);
            diag -= vi * vn * d.daa;
            gvi -= vn * kernel_of::value(g, qi, T[n * PT + n], R[i * PT + n]);
            const double c = vi * vn * d.dab;
            for (index_t j = 0; j < N; ++j) gw(i, j) -= c * double(wt(n, j));
        }
        for (index_t j = 0; j < N; ++j) gw(i, j) = (gw(i, j) + 2 * diag * double(w(i, j))) / double(N);
        if (gv.size() == P) gv[i] = gvi;
    }
    return e;
}

// The population Hessian is taken over the blocks of twolayer::hessian_blocks (the HVP's
// selector, analysis/hessian_blocks.hpp), in the order [W row-major | v]: first_layer and
// second_layer as there; biases is ignored (the population quantities have no biases). The
// default takes both layers.

/// The number of parameters in the population Hessian for P units of N inputs.
constexpr index_t hessian_dimension(index_t P, index_t N, hessian_blocks b) {
    return (b.first_layer ? P * N : 0) + (b.second_layer ? P : 0);
}

/// Doubles of workspace population_hessian needs: two gradients (P x N + P each) and the scratch.
constexpr index_t hessian_workspace_size(index_t P, index_t PT, index_t N) {
    return 2 * (P * N + P) + population_scratch_size(P, PT);
}

namespace detail {
// Parameter k of the layout [W | v] (k < P N: W row-major; else v), as a reference.
template <class W, class V>
double& parameter(const W& w, const V& v, hessian_blocks b, index_t k) {
    const index_t pn = b.first_layer ? w.rows() * w.cols() : 0;
    if (k < pn) return w(k / w.cols(), k % w.cols());
    return v[k - pn];
}
// The gradient at the current (w, v) into g, in the layout.
template <class Act, class W, class V, class WT, class VT>
void gradient_in_layout(Act a, const W& w, const V& v, const WT& wt, const VT& vt, hessian_blocks b, double* g,
                        double* scratch, index_t scratch_size) {
    const index_t P = w.rows(), N = w.cols();
    mat_view<double> gw(g, P, N);
    vec_view<double> gv(g + P * N, P);
    loss_and_gradient(a, w, v, wt, vt, gw, gv, vec_view<double>(scratch, scratch_size));
    if (!b.first_layer)
        for (index_t i = 0; i < P; ++i) g[i] = g[P * N + i];  // v's block first when W is not in the layout
}
}  // namespace detail

/// The population Hessian over the blocks b, by central differences of the exact gradient:
/// column k = (grad(theta + h e_k) - grad(theta - h e_k)) / (2 h), symmetrised. (Exact second
/// derivatives would need the kernels' second derivatives; the differences of an exact gradient
/// have error O(h^2) from the third derivative and O(eps / h) from rounding.) The same is done with
/// step 2h, and the return value is max |H_h - H_2h| / 3, the leading error of H_h (Richardson), so
/// the caller knows how far to trust an eigenvalue near zero. w and v are perturbed in place and
/// restored bit for bit. h: a step of 1e-4 suits parameters of order one.
/// out: a dim x dim view (hessian_dimension); work: hessian_workspace_size(P, PT, N) doubles.
template <class Act, class W, class V, class WT, class VT, class H, index_t EW>
double hessian(Act a, const W& w, const V& v, const WT& wt, const VT& vt, hessian_blocks b, double h, const H& out,
               vec_view<double, EW> work) {
    const index_t P = w.rows(), PT = wt.rows(), N = w.cols();
    const index_t dim = hessian_dimension(P, N, b), len = P * N + P;
    double* up = work.data();
    double* down = up + len;
    double* scratch = down + len;
    const index_t ss = population_scratch_size(P, PT);
    double err = 0;
    for (index_t k = 0; k < dim; ++k) {
        double& x = detail::parameter(w, v, b, k);
        const double keep = x;
        for (int pass = 0; pass < 2; ++pass) {
            const double step = pass == 0 ? h : 2 * h;
            x = keep + step;
            detail::gradient_in_layout(a, w, v, wt, vt, b, up, scratch, ss);
            x = keep - step;
            detail::gradient_in_layout(a, w, v, wt, vt, b, down, scratch, ss);
            x = keep;
            for (index_t r = 0; r < dim; ++r) {
                const double d = (up[r] - down[r]) / (2 * step);
                if (pass == 0) {
                    out(r, k) = d;
                } else {
                    err = std::fmax(err, std::fabs(out(r, k) - d) / 3);
                }
            }
        }
    }
    for (index_t r = 0; r < dim; ++r)
        for (index_t k = r + 1; k < dim; ++k) {
            err = std::fmax(err, std::fabs(out(r, k) - out(k, r)) / 2);
            out(r, k) = out(k, r) = 0.5 * (out(r, k) + out(k, r));
        }
    return err;
}

}  // namespace population
}  // namespace twolayer
