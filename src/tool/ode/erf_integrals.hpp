// The Gaussian averages of the erf ODEs (Saad & Solla 1995; Goldt et al. 2019, arXiv:1906.08632)
// for g(x) = erf(x / sqrt 2), g'(x) = sqrt(2 / pi) exp(-x^2 / 2), over zero-mean jointly Gaussian
// fields z with covariance C (field_covariance); a, b, c, d index fields and may repeat.
#pragma once
#include <vector>

#include "matrix.hpp"

namespace twolayer::tool::ode {

/// I2(a, b) = E[g(z_a) g(z_b)] = (2/pi) asin(C_ab / sqrt((1 + C_aa)(1 + C_bb))).
double I2(const matrix& C, long a, long b);

/// J2(a, b) = E[g'(z_a) g'(z_b)] = (2/pi) / sqrt((1 + C_aa)(1 + C_bb) - C_ab^2).
double J2(const matrix& C, long a, long b);

/// I3(a, b, c) = E[g'(z_a) z_b g(z_c)]
///   = (2/pi) / sqrt(L3) * (C_bc (1 + C_aa) - C_ab C_ac) / (1 + C_aa),
/// L3 = (1 + C_aa)(1 + C_cc) - C_ac^2.
double I3(const matrix& C, long a, long b, long c);

/// I4(a, b, c, d) = E[g'(z_a) g'(z_b) g(z_c) g(z_d)] = (4/pi^2) / sqrt(L4) asin(L0 / sqrt(L1 L2)),
/// L4 = (1 + C_aa)(1 + C_bb) - C_ab^2 and L0, L1, L2 as in Saad & Solla (written out in
/// erf_integrals.cpp and docs/TOOL.md).
double I4(const matrix& C, long a, long b, long c, long d);

/// I4(a, b, c, d) for fixed (a, b) and any (c, d), with what depends on (a, b) alone or on c or d
/// alone computed once: the erf ODEs sum I4 over every pair (c, d) of fields, and this leaves one
/// asin and a few products per pair. Equal to I4 up to rounding.
class I4_table {
public:
    I4_table(const matrix& C, long a, long b);
    double operator()(long c, long d) const;

private:
    const matrix& C_;
    double caa_, cbb_, cab_, L4_, prefactor_;
    std::vector<double> ac_, bc_, sqrt_L1_;  // C_ac, C_bc, sqrt(L1(c)) for every field c
};

}  // namespace twolayer::tool::ode
