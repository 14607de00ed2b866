// Closed-form generalization error eps_g = 0.5 E[(yhat - y*)^2] over x ~ N(0, I_N), for student
// and teacher with the same activation (erf, ReLU, quadratic, linear), from the order parameters
// and the second layers (the kernels K below; docs/TEACHER_STUDENT.md).
//   eps_g = 0.5 [ sum_ik v_i v_k K(Q_ii, Q_kk, Q_ik) + sum_nm v*_n v*_m K(T_nn, T_mm, T_nm)
//               - 2 sum_in v_i v*_n K(Q_ii, T_nn, R_in) ]
// with K(c_aa, c_bb, c_ab) = E[g(a) g(b)] for jointly Gaussian fields a, b.
// Biases: the output biases c, c* enter through the means M(c_aa) = E[g(a)] (every activation
// here); hidden biases make the fields' means b_i, b*_n, for which E[g(a) g(b)] has a closed form
// for linear and quadratic units only (erf and ReLU would need the bivariate normal integral):
// networks with nonzero hidden biases of erf or ReLU units get no value (eps_g_status).
#pragma once
#include <cmath>
#include <type_traits>

#include "twolayer/model/activation.hpp"
#include "twolayer/teacher/order_parameters.hpp"

namespace twolayer {

namespace kernel_of {

constexpr double pi = 3.14159265358979323846;

// E[g(a) g(b)] for g(x) = erf(x / sqrt 2).
inline double value(act::erf, double caa, double cbb, double cab) {
    return (2 / pi) * std::asin(cab / std::sqrt((1 + caa) * (1 + cbb)));
}
// ReLU: the arc-cosine kernel, |a||b| (sin t + (pi - t) cos t) / (2 pi), cos t = c_ab / (|a||b|).
inline double value(act::relu, double caa, double cbb, double cab) {
    const double s = std::sqrt(caa * cbb);
    if (s == 0) return 0;
    double c = cab / s;
    c = c > 1 ? 1 : (c < -1 ? -1 : c);
    const double t = std::acos(c);
    return s * (std::sin(t) + (pi - t) * c) / (2 * pi);
}
// Isserlis: E[a^2 b^2] = c_aa c_bb + 2 c_ab^2.
inline double value(act::quadratic, double caa, double cbb, double cab) { return caa * cbb + 2 * cab * cab; }
inline double value(act::linear, double, double, double cab) { return cab; }

// E[g(a)] for a ~ N(0, c_aa): 0 for the odd units, sqrt(c_aa / (2 pi)) for ReLU, c_aa for x^2.
inline double mean(act::erf, double) { return 0; }
inline double mean(act::relu, double caa) { return std::sqrt(caa / (2 * pi)); }
inline double mean(act::quadratic, double caa) { return caa; }
inline double mean(act::linear, double) { return 0; }

// With means: E[g(a + ma) g(b + mb)] and E[g(a + ma)] for zero-mean a, b of covariance (c_aa,
// c_bb, c_ab). Linear: c_ab + ma mb. Quadratic (odd moments vanish, Isserlis for the fourth):
// c_aa c_bb + 2 c_ab^2 + mb^2 c_aa + ma^2 c_bb + 4 ma mb c_ab + ma^2 mb^2.
inline double value(act::quadratic, double caa, double cbb, double cab, double ma, double mb) {
    return value(act::quadratic{}, caa, cbb, cab) + mb * mb * caa + ma * ma * cbb + 4 * ma * mb * cab + ma * ma * mb * mb;
}
inline double value(act::linear, double, double, double cab, double ma, double mb) { return cab + ma * mb; }
inline double mean(act::quadratic, double caa, double ma) { return caa + ma * ma; }
inline double mean(act::linear, double, double ma) { return ma; }

// Whether the activation has the closed forms with hidden biases above.
template <class Act> inline constexpr bool has_bias_forms = std::is_same<Act, act::quadratic>::value ||
                                                           std::is_same<Act, act::linear>::value;

}  // namespace kernel_of

// eps_g from (Q, R, T) and the second layers v (student) and vt (teacher), for networks without
// biases.
template <class Act, index_t P, index_t PT, class V, index_t EV, class VT, index_t EVT>
double generalization_error(const order_parameters<P, PT>& op, vec_view<const V, EV> v, vec_view<const VT, EVT> vt) {
    const Act g{};
    double ss = 0, tt = 0, st = 0;
    for (index_t i = 0; i < P; ++i)
        for (index_t k = 0; k < P; ++k)
            ss += double(v[i]) * double(v[k]) * kernel_of::value(g, op.Q(i, i), op.Q(k, k), op.Q(i, k));
    for (index_t n = 0; n < PT; ++n)
        for (index_t m = 0; m < PT; ++m)
            tt += double(vt[n]) * double(vt[m]) * kernel_of::value(g, op.T(n, n), op.T(m, m), op.T(n, m));
    for (index_t i = 0; i < P; ++i)
        for (index_t n = 0; n < PT; ++n)
            st += double(v[i]) * double(vt[n]) * kernel_of::value(g, op.Q(i, i), op.T(n, n), op.R(i, n));
    return 0.5 * (ss + tt - 2 * st);
}

// Why a closed form was or was not given.
enum class eps_g_status {
    ok,
    hidden_bias_unsupported,  // nonzero hidden biases on erf or ReLU units: no closed form here
};

// eps_g with its status; value is 0 unless status is ok.
struct eps_g_result {
    double value = 0;
    eps_g_status status = eps_g_status::ok;
    bool ok() const { return status == eps_g_status::ok; }
};

namespace detail {

// The biases of one network as the closed forms see them: the hidden biases (0 when off) and the
// output bias (0 when off), in double.
template <class Ref>
struct bias_of {
    const Ref& r;
    double hidden(index_t k) const { return r.head->hidden_bias_on() ? double(r.b[k]) : 0.0; }
    double output() const { return r.head->output_bias_on() ? double(r.head->output_bias) : 0.0; }
    bool any_hidden() const {
        for (index_t k = 0; k < r.hidden(); ++k)
            if (hidden(k) != 0) return true;
        return false;
    }
};

// E[g(a) g(b)] and E[g(a)] with the fields' means ma, mb; the zero-mean kernels when both are 0
// (then the same bits as the formula without biases).
template <class Act>
double kernel_with_means(double caa, double cbb, double cab, double ma, double mb) {
    if constexpr (kernel_of::has_bias_forms<Act>) {
        if (ma != 0 || mb != 0) return kernel_of::value(Act{}, caa, cbb, cab, ma, mb);
    }
    return kernel_of::value(Act{}, caa, cbb, cab);
}
template <class Act>
double mean_with_mean(double caa, double ma) {
    if constexpr (kernel_of::has_bias_forms<Act>) {
        if (ma != 0) return kernel_of::mean(Act{}, caa, ma);
    }
    return kernel_of::mean(Act{}, caa);
}

// E[yhat] - c and E[yhat y'] - c c' terms of one pair of networks (a, a') with overlaps C(i, n),
// the fields' variances from Caa, Cbb: sum_in v_i v'_n K, and sum_i v_i M.
template <class Act, class RA, class RB, class Cov, class VarA, class VarB>
double pair_term(const RA& a, const RB& b, const Cov& cov, const VarA& var_a, const VarB& var_b) {
    const bias_of<RA> ba{a};
    const bias_of<RB> bb{b};
    double s = 0;
    for (index_t i = 0; i < a.hidden(); ++i)
        for (index_t n = 0; n < b.hidden(); ++n)
            s += double(a.v[i]) * double(b.v[n]) *
                 kernel_with_means<Act>(var_a(i), var_b(n), cov(i, n), ba.hidden(i), bb.hidden(n));
    return s;
}
template <class Act, class R, class Var>
double mean_term(const R& a, const Var& var) {
    const bias_of<R> ba{a};
    double s = 0;
    for (index_t i = 0; i < a.hidden(); ++i) s += double(a.v[i]) * mean_with_mean<Act>(var(i), ba.hidden(i));
    return s;
}

}  // namespace detail

// eps_g straight from two networks (networks or network_refs with static P, any formats) of the
// same activation, biases included: exact for every supported activation without hidden biases
// and for linear and quadratic units with them; a status instead of a value for erf or ReLU
// networks with nonzero hidden biases.
//   2 eps_g = E[yhat^2] - 2 E[yhat y*] + E[y*^2],  E[yhat y'] = c c' + c M' + c' M + sum v v' K.
template <class Student, class Teacher,
          std::enable_if_t<is_network_v<Student> && is_network_v<Teacher>, int> = 0>
eps_g_result try_generalization_error(const Student& student, const Teacher& teacher) {
    using RS = ref_of_t<Student>;
    using RT = ref_of_t<Teacher>;
    using Act = typename RS::activation;
    static_assert(std::is_same<Act, typename RT::activation>::value,
                  "generalization_error: student and teacher have different activations");
    const auto& s = read_ref(student);
    const auto& t = read_ref(teacher);
    const detail::bias_of<RS> bs{s};
    const detail::bias_of<RT> bt{t};
    if (!kernel_of::has_bias_forms<Act> && (bs.any_hidden() || bt.any_hidden()))
        return {0.0, eps_g_status::hidden_bias_unsupported};
    order_parameters<RS::p_extent, RT::p_extent> op;
    compute_order_parameters(s, t, op);
    const auto q = [&](index_t i, index_t k) { return op.Q(i, k); };
    const auto r = [&](index_t i, index_t n) { return op.R(i, n); };
    const auto tt = [&](index_t n, index_t m) { return op.T(n, m); };
    const auto qd = [&](index_t i) { return op.Q(i, i); };
    const auto td = [&](index_t n) { return op.T(n, n); };
    const double c = bs.output(), ct = bt.output();
    const double ms = detail::mean_term<Act>(s, qd), mt = detail::mean_term<Act>(t, td);
    const double ss = detail::pair_term<Act>(s, s, q, qd, qd) + 2 * c * ms + c * c;
    const double st = detail::pair_term<Act>(s, t, r, qd, td) + c * mt + ct * ms + c * ct;
    const double tt2 = detail::pair_term<Act>(t, t, tt, td, td) + 2 * ct * mt + ct * ct;
    return {0.5 * (ss + tt2 - 2 * st), eps_g_status::ok};
}

// The same as a plain number, for networks that have a closed form (try_generalization_error):
// -1 (never a valid eps_g, and never NaN) for erf or ReLU networks with nonzero hidden biases.
template <class Student, class Teacher,
          std::enable_if_t<is_network_v<Student> && is_network_v<Teacher>, int> = 0>
double generalization_error(const Student& student, const Teacher& teacher) {
    const eps_g_result e = try_generalization_error(student, teacher);
    return e.ok() ? e.value : -1.0;
}

}  // namespace twolayer
