// Closed-form generalization error eps_g = 0.5 E[(yhat - y*)^2] over x ~ N(0, I_N), for student
// and teacher with the same activation (erf, ReLU, quadratic, linear), from the order parameters
// and the second layers (the kernels K below; docs/TEACHER_STUDENT.md). Both networks without biases.
//   eps_g = 0.5 [ sum_ik v_i v_k K(Q_ii, Q_kk, Q_ik) + sum_nm v*_n v*_m K(T_nn, T_mm, T_nm)
//               - 2 sum_in v_i v*_n K(Q_ii, T_nn, R_in) ]
// with K(c_aa, c_bb, c_ab) = E[g(a) g(b)] for jointly Gaussian fields a, b.
#pragma once
#include <cmath>

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

}  // namespace kernel_of

// eps_g from (Q, R, T) and the second layers v (student) and vt (teacher).
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

// The same, straight from two networks (networks or network_refs with static P, any formats) of
// the same activation.
template <class Student, class Teacher,
          std::enable_if_t<is_network_v<Student> && is_network_v<Teacher>, int> = 0>
double generalization_error(const Student& student, const Teacher& teacher) {
    using RS = ref_of_t<Student>;
    using RT = ref_of_t<Teacher>;
    using Act = typename RS::activation;
    static_assert(std::is_same<Act, typename RT::activation>::value,
                  "generalization_error: student and teacher have different activations");
    const auto& s = read_ref(student);
    const auto& t = read_ref(teacher);
    order_parameters<RS::p_extent, RT::p_extent> op;
    compute_order_parameters(s, t, op);
    return generalization_error<Act>(op, vec_view<const typename RS::S, RS::p_extent>(s.v),
                                     vec_view<const typename RT::S, RT::p_extent>(t.v));
}

}  // namespace twolayer
