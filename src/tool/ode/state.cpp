#include "state.hpp"

#include <stdexcept>

namespace twolayer::tool::ode {

matrix field_covariance(const order_state& s) {
    const long P = s.P(), Ps = s.P_star();
    matrix C(P + Ps, P + Ps);
    for (long i = 0; i < P; ++i)
        for (long k = 0; k < P; ++k) C(i, k) = s.Q(i, k);
    for (long i = 0; i < P; ++i)
        for (long n = 0; n < Ps; ++n) C(i, P + n) = C(P + n, i) = s.R(i, n);
    for (long n = 0; n < Ps; ++n)
        for (long m = 0; m < Ps; ++m) C(P + n, P + m) = s.T(n, m);
    return C;
}

std::vector<double> error_weights(const order_state& s) {
    std::vector<double> u;
    u.reserve(s.v.size() + s.v_star.size());
    for (double vi : s.v) u.push_back(-vi);
    for (double vn : s.v_star) u.push_back(vn);
    return u;
}

long state_layout::size() const { return P * (P + 1) / 2 + P * P_star + (train_v ? P : 0); }

void state_layout::pack(const order_state& s, std::vector<double>& x) const {
    if (s.P() != P || s.P_star() != P_star) throw std::logic_error("state_layout::pack: sizes differ");
    x.resize(std::size_t(size()));
    std::size_t at = 0;
    for (long i = 0; i < P; ++i)
        for (long k = i; k < P; ++k) x[at++] = s.Q(i, k);
    for (double r : s.R.a) x[at++] = r;
    if (train_v)
        for (double vi : s.v) x[at++] = vi;
}

void state_layout::unpack(const std::vector<double>& x, order_state& s) const {
    if (long(x.size()) != size() || s.P() != P || s.P_star() != P_star)
        throw std::logic_error("state_layout::unpack: sizes differ");
    std::size_t at = 0;
    for (long i = 0; i < P; ++i)
        for (long k = i; k < P; ++k) s.Q(i, k) = s.Q(k, i) = x[at++];
    for (double& r : s.R.a) r = x[at++];
    if (train_v)
        for (double& vi : s.v) vi = x[at++];
}

}  // namespace twolayer::tool::ode
