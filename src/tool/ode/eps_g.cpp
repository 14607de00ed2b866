#include "eps_g.hpp"

#include "erf_integrals.hpp"

namespace twolayer::tool::ode {

double eps_g_erf(const order_state& s) {
    const matrix C = field_covariance(s);
    const std::vector<double> u = error_weights(s);
    double sum = 0;
    for (long a = 0; a < long(u.size()); ++a)
        for (long b = 0; b < long(u.size()); ++b) sum += u[std::size_t(a)] * u[std::size_t(b)] * I2(C, a, b);
    return 0.5 * sum;
}

double eps_g_quadratic(const order_state& s) { return 0.5 * quadratic_error_moments(s).second; }

double eps_g(flow_kind kind, const order_state& s) {
    return kind == flow_kind::erf ? eps_g_erf(s) : eps_g_quadratic(s);
}

}  // namespace twolayer::tool::ode
