// The erf ODEs (Saad & Solla 1995; Goldt et al. 2019), with the fields of one input indexed as in
// field_covariance and the error y* - yhat = sum_a u_a g(z_a), u = (-v, v*) (error_weights):
//   drift_R_in = eta v_i sum_a u_a I3(i, n, a)
//   drift_Q_ik = eta [ v_i sum_a u_a I3(i, k, a) + v_k sum_a u_a I3(k, i, a) ]
//   second_Q_ik = eta^2 v_i v_k [ sum_ab u_a u_b I4(i, k, a, b) + sigma^2 J2(i, k) ]
//   drift_v_i  = eta_v sum_a u_a I2(i, a)
// (expanding u gives the teacher-teacher, student-teacher and student-student sums of the papers).
#include "erf_integrals.hpp"
#include "flow.hpp"

namespace twolayer::tool::ode {

namespace {

// sum_a u_a I3(i, b, a): E[g'(z_i) z_b (y* - yhat)].
double error_I3(const matrix& C, const std::vector<double>& u, long i, long b) {
    double s = 0;
    for (long a = 0; a < long(u.size()); ++a) s += u[std::size_t(a)] * I3(C, i, b, a);
    return s;
}

// sum_ab u_a u_b I4(i, k, a, b): E[g'(z_i) g'(z_k) (y* - yhat)^2] without noise. I4 is symmetric
// in its last two fields, so each unordered pair is evaluated once.
double error_I4(const matrix& C, const std::vector<double>& u, long i, long k) {
    const I4_table I4ik(C, i, k);
    double s = 0;
    const long F = long(u.size());
    for (long a = 0; a < F; ++a) {
        s += u[std::size_t(a)] * u[std::size_t(a)] * I4ik(a, a);
        for (long b = a + 1; b < F; ++b) s += 2 * u[std::size_t(a)] * u[std::size_t(b)] * I4ik(a, b);
    }
    return s;
}

}  // namespace

flow_terms erf_terms(const order_state& s, const ode_params& p) {
    const long P = s.P(), Ps = s.P_star();
    const matrix C = field_covariance(s);
    const std::vector<double> u = error_weights(s);
    flow_terms f{matrix(P, P), matrix(P, P), matrix(P, Ps), std::vector<double>(std::size_t(P))};
    for (long i = 0; i < P; ++i)
        for (long n = 0; n < Ps; ++n) f.drift_R(i, n) = p.eta * s.v[std::size_t(i)] * error_I3(C, u, i, P + n);
    for (long i = 0; i < P; ++i)
        for (long k = i; k < P; ++k) {
            const double vi = s.v[std::size_t(i)], vk = s.v[std::size_t(k)];
            f.drift_Q(i, k) = f.drift_Q(k, i) = p.eta * (vi * error_I3(C, u, i, k) + vk * error_I3(C, u, k, i));
            if (p.drift_only) continue;
            const double e2 = error_I4(C, u, i, k) + p.sigma * p.sigma * J2(C, i, k);
            f.second_Q(i, k) = f.second_Q(k, i) = p.eta * p.eta * vi * vk * e2;
        }
    for (long i = 0; i < P; ++i) {
        double s2 = 0;
        for (long a = 0; a < P + Ps; ++a) s2 += u[std::size_t(a)] * I2(C, i, a);
        f.drift_v[std::size_t(i)] = p.eta_v * s2;
    }
    return f;
}

}  // namespace twolayer::tool::ode
