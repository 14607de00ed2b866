// Order parameters of a student against a teacher, in double:
//   Q = W W^T / N (P x P),  R = W W*^T / N (P x P*),  T = W* W*^T / N (P* x P*).
// Every population quantity of the teacher-student problem with Gaussian inputs is a function of
// (Q, R, T, v, v*) (docs/TEACHER_STUDENT.md).
#pragma once
#include "twolayer/model/network.hpp"

namespace twolayer {

// Q (P x P), R (P x P*) and T (P* x P*) in double, in the object.
template <index_t P, index_t PT>
struct order_parameters {
    mat<double, P, P> Q;
    mat<double, P, PT> R;
    mat<double, PT, PT> T;
};

namespace detail {
// out = a b^T / N for two weight matrices with N columns each, summed in double.
template <class A, index_t RA, index_t CA, class B, index_t RB, index_t CB, class O, index_t RO, index_t CO>
void overlaps(mat_view<const A, RA, CA> a, mat_view<const B, RB, CB> b, mat_view<O, RO, CO> out) {
    const double n = double(a.cols());
    for (index_t i = 0; i < a.rows(); ++i)
        for (index_t k = 0; k < b.rows(); ++k) {
            double s = 0;
            for (index_t j = 0; j < a.cols(); ++j) s += double(a(i, j)) * double(b(k, j));
            out(i, k) = s / n;
        }
}
}  // namespace detail

// Student and teacher: networks or network_refs, which may be in different formats (a Q3.12
// student against a double teacher).
template <class Student, class Teacher, index_t P, index_t PT,
          std::enable_if_t<is_network_v<Student> && is_network_v<Teacher>, int> = 0>
void compute_order_parameters(const Student& student, const Teacher& teacher, order_parameters<P, PT>& out) {
    using RS = ref_of_t<Student>;
    using RT = ref_of_t<Teacher>;
    const mat_view<const typename RS::S, P, RS::n_extent> W = read_ref(student).W;
    const mat_view<const typename RT::S, PT, RT::n_extent> Wt = read_ref(teacher).W;
    detail::overlaps(W, W, out.Q.view());
    detail::overlaps(W, Wt, out.R.view());
    detail::overlaps(Wt, Wt, out.T.view());
}

}  // namespace twolayer
