#include "invariants.hpp"

#include <cmath>
#include <stdexcept>

#include "linalg.hpp"

namespace twolayer::tool::ode {

namespace {
double uniform_value(const std::vector<double>& v) {
    for (double e : v)
        if (e != v.front()) throw std::logic_error("rotation_invariant: the second layers must be uniform");
    return v.front();
}
matrix inverse(const matrix& spd) {
    return symmetric_function(spd, [](double l) { return 1 / l; });
}
}  // namespace

std::vector<double> balance(const order_state& s, double eta, double eta_v) {
    std::vector<double> b;
    for (long i = 0; i < s.P(); ++i) b.push_back(s.Q(i, i) - (2 * eta / eta_v) * s.v[std::size_t(i)] * s.v[std::size_t(i)]);
    return b;
}

matrix orthogonal_overlap(const order_state& s) { return s.Q - s.R * inverse(s.T) * transpose(s.R); }

matrix rotation_invariant(const order_state& s, double t, double eta) {
    const double a = uniform_value(s.v), as = uniform_value(s.v_star);
    const matrix psi_inv = symmetric_function(s.T, [&](double l) { return std::exp(-4 * eta * a * as * l * t); });
    return psi_inv * transpose(s.R) * inverse(orthogonal_overlap(s)) * s.R * psi_inv;
}

}  // namespace twolayer::tool::ode
