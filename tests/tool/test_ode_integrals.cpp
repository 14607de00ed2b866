// The Gaussian averages I2, J2, I3, I4 of the erf ODEs against Monte Carlo over fields of a
// random covariance, index tuples with and without repeats (the ODEs use both), and I2 against
// the library's kernel (teacher/generalization_error.hpp).
#include <gtest/gtest.h>

#include <cmath>

#include "ode_test_util.hpp"
#include "tool/ode/erf_integrals.hpp"
#include "twolayer/teacher/generalization_error.hpp"

namespace {

using namespace twolayer::tool::ode;

double g(double x) { return std::erf(x / std::sqrt(2.0)); }
double dg(double x) { return std::sqrt(2 / 3.14159265358979323846) * std::exp(-x * x / 2); }

struct tuple4 {
    long a, b, c, d;
};

// Every integral for each tuple, estimated on the same draws of 4 correlated fields.
class erf_integrals_mc : public ::testing::Test {
protected:
    static constexpr long fields = 4;
    const std::vector<tuple4> tuples = {{0, 1, 2, 3}, {0, 0, 1, 2}, {1, 2, 1, 1}, {2, 3, 0, 0},
                                        {3, 3, 3, 3}, {0, 1, 0, 1}, {2, 0, 3, 2}};
    matrix C = ode_test::random_covariance(fields, 11);

    // For each tuple: g(a) g(b), g'(a) g'(b), g'(a) z_b g(c), g'(a) g'(b) g(c) g(d).
    ode_test::mc_mean estimate(long samples) const {
        ode_test::mc_mean m(4 * tuples.size());
        const matrix L = ode_test::cholesky(C);
        twolayer::gaussian_rng rng(5, 1);
        std::vector<double> z, x(4 * tuples.size());
        for (long s = 0; s < samples; ++s) {
            ode_test::draw_fields(L, rng, z);
            for (std::size_t t = 0; t < tuples.size(); ++t) {
                const double za = z[std::size_t(tuples[t].a)], zb = z[std::size_t(tuples[t].b)];
                const double zc = z[std::size_t(tuples[t].c)], zd = z[std::size_t(tuples[t].d)];
                x[4 * t + 0] = g(za) * g(zb);
                x[4 * t + 1] = dg(za) * dg(zb);
                x[4 * t + 2] = dg(za) * zb * g(zc);
                x[4 * t + 3] = dg(za) * dg(zb) * g(zc) * g(zd);
            }
            m.add(x);
        }
        return m;
    }
};

TEST_F(erf_integrals_mc, closed_forms_match_monte_carlo_within_the_standard_error) {
    const ode_test::mc_mean m = estimate(400000);
    for (std::size_t t = 0; t < tuples.size(); ++t) {
        const tuple4 u = tuples[t];
        const double closed[4] = {I2(C, u.a, u.b), J2(C, u.a, u.b), I3(C, u.a, u.b, u.c), I4(C, u.a, u.b, u.c, u.d)};
        const char* names[4] = {"I2", "J2", "I3", "I4"};
        for (std::size_t k = 0; k < 4; ++k) {
            const double se = m.se(4 * t + k);
            EXPECT_NEAR(closed[k], m.mean(4 * t + k), 4.5 * se)
                << names[k] << "(" << u.a << "," << u.b << "," << u.c << "," << u.d << "), se " << se;
            EXPECT_LT(se, 2e-3);  // the check resolves the value
        }
    }
}

TEST(erf_integrals, I2_is_the_library_kernel) {
    const matrix C = ode_test::random_covariance(3, 4);
    for (long a = 0; a < 3; ++a)
        for (long b = 0; b < 3; ++b)
            EXPECT_NEAR(I2(C, a, b), twolayer::kernel_of::value(twolayer::act::erf{}, C(a, a), C(b, b), C(a, b)), 1e-15);
}

TEST(erf_integrals, independent_fields_give_the_known_values) {
    matrix C = identity(4);
    C(0, 0) = 0.5;
    // g' is even and g odd: any average with one lone independent field vanishes.
    EXPECT_NEAR(I2(C, 0, 1), 0, 1e-15);
    EXPECT_NEAR(I3(C, 0, 1, 2), 0, 1e-15);
    EXPECT_NEAR(I4(C, 0, 1, 2, 3), 0, 1e-15);
    // E[g'(a) g'(b)] for independent fields = E[g'(a)] E[g'(b)], E[g'(z)] = sqrt(2/pi) / sqrt(1 + c).
    const double pi = 3.14159265358979323846;
    EXPECT_NEAR(J2(C, 0, 1), (2 / pi) / std::sqrt(1.5 * 2), 1e-15);
    // E[g(z)^2] for unit variance: (2/pi) asin(1/2) = 1/3.
    EXPECT_NEAR(I2(C, 1, 1), 1.0 / 3, 1e-15);
}

}  // namespace

namespace {

TEST(erf_integrals, I4_table_equals_I4_for_every_pair) {
    const twolayer::tool::ode::matrix C = ode_test::random_covariance(6, 13);
    for (long a = 0; a < 6; ++a)
        for (long b = 0; b < 6; ++b) {
            const twolayer::tool::ode::I4_table table(C, a, b);
            for (long c = 0; c < 6; ++c)
                for (long d = 0; d < 6; ++d) EXPECT_NEAR(table(c, d), twolayer::tool::ode::I4(C, a, b, c, d), 1e-14);
        }
}

}  // namespace
