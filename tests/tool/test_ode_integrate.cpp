// The Boost.Odeint setup (adaptive Dormand-Prince with dense output at requested times) against
// systems with known solutions, and its stops: a blow-up is reported, not integrated through.
#include <gtest/gtest.h>

#include <cmath>

#include "tool/ode/integrate.hpp"
#include "tool/ode/solve.hpp"
#include "tool/sim/settings.hpp"

namespace {

using namespace twolayer::tool::ode;

std::vector<double> log_times(double t_max, int n) {
    std::vector<double> t{0};
    for (int i = 0; i < n; ++i) t.push_back(t_max * std::pow(10.0, -3.0 * (n - 1 - i) / (n - 1)));
    return t;
}

// A damped rotation, x' = A x with A = [[-a, w], [-w, -a]]: x(t) = e^{-a t} R(w t) x(0).
TEST(ode_integrate, damped_rotation_matches_its_closed_form_at_every_requested_time) {
    const double a = 0.05, w = 2.0;
    const system_fn f = [&](const std::vector<double>& x, std::vector<double>& dx) {
        dx[0] = -a * x[0] + w * x[1];
        dx[1] = -w * x[0] - a * x[1];
    };
    std::vector<double> x{1.0, 0.5};
    const std::vector<double> times = log_times(40, 25);
    std::vector<double> seen;
    integrator_options o;
    o.rtol = 1e-10;
    o.atol = 1e-12;
    const integration_result r = integrate_at(f, x, times, o, [&](double t, const std::vector<double>& s) {
        seen.push_back(t);
        const double e = std::exp(-a * t), c = std::cos(w * t), sn = std::sin(w * t);
        EXPECT_NEAR(s[0], e * (c * 1.0 + sn * 0.5), 1e-8) << "t = " << t;
        EXPECT_NEAR(s[1], e * (-sn * 1.0 + c * 0.5), 1e-8) << "t = " << t;
    });
    EXPECT_EQ(r.end, integration_result::status::done);
    EXPECT_EQ(seen, times);
    EXPECT_DOUBLE_EQ(r.t_stop, 40);
    EXPECT_GT(r.steps, 10u);  // it stepped (and did not stop at each report time only)
}

// The logistic equation x' = x (1 - x): x(t) = 1 / (1 + (1/x0 - 1) e^{-t}); the tolerance is met.
TEST(ode_integrate, logistic_growth_meets_the_tolerance) {
    const system_fn f = [](const std::vector<double>& x, std::vector<double>& dx) { dx[0] = x[0] * (1 - x[0]); };
    for (double rtol : {1e-6, 1e-10}) {
        std::vector<double> x{1e-4};
        double worst = 0;
        integrator_options o;
        o.rtol = rtol;
        o.atol = rtol * 1e-4;
        integrate_at(f, x, log_times(30, 30), o, [&](double t, const std::vector<double>& s) {
            const double exact = 1 / (1 + (1 / 1e-4 - 1) * std::exp(-t));
            worst = std::fmax(worst, std::fabs(s[0] - exact) / exact);
        });
        EXPECT_LT(worst, 200 * rtol) << "rtol " << rtol;
        if (rtol == 1e-6) {
            EXPECT_GT(worst, 1e-12);  // a loose tolerance shows: the error is the stepper's
        }
    }
}

// x' = x^2 from x(0) = 1 blows up at t = 1: the integration stops there, reports diverged (or out
// of steps) with t_stop just before 1, and observes no time past it.
TEST(ode_integrate, a_blow_up_stops_the_integration) {
    const system_fn f = [](const std::vector<double>& x, std::vector<double>& dx) { dx[0] = x[0] * x[0]; };
    std::vector<double> x{1.0};
    double last = -1;
    integrator_options o;
    o.max_steps = 200000;
    const integration_result r = integrate_at(f, x, {0, 0.5, 0.9, 2, 3}, o, [&](double t, const std::vector<double>& s) {
        last = t;
        EXPECT_NEAR(s[0], 1 / (1 - t), 1e-6 / (1 - t));
    });
    EXPECT_NE(r.end, integration_result::status::done);
    EXPECT_EQ(last, 0.9);
    EXPECT_GT(r.t_stop, 0.99);
    EXPECT_LE(r.t_stop, 1.0 + 1e-9);
}

TEST(ode_integrate, times_must_ascend) {
    const system_fn f = [](const std::vector<double>&, std::vector<double>& dx) { dx[0] = 0; };
    std::vector<double> x{1.0};
    EXPECT_THROW(integrate_at(f, x, {0, 2, 1}, {}, [](double, const std::vector<double>&) {}), std::logic_error);
}

TEST(ode_report_times, are_trains_steps_over_N) {
    const std::vector<double> t = report_times(10, 100, 5);  // 1000 steps: 1, 6, 32, 178, 1000
    ASSERT_EQ(t.size(), 6u);
    EXPECT_EQ(t[0], 0);
    EXPECT_DOUBLE_EQ(t[1], 0.01);
    EXPECT_DOUBLE_EQ(t[2], 0.06);
    EXPECT_DOUBLE_EQ(t[3], 0.32);
    EXPECT_DOUBLE_EQ(t[4], 1.78);
    EXPECT_DOUBLE_EQ(t[5], 10);
    // more reports than steps: every step once
    EXPECT_EQ(report_times(0.03, 100, 50), (std::vector<double>{0, 0.01, 0.02, 0.03}));
    // where log spacing is denser than whole steps, one step apart, as train's (not repeats dropped)
    const std::vector<std::uint64_t> steps = twolayer::tool::report_steps(400000, 60);
    const std::vector<double> ode = report_times(400, 1000, 60);
    ASSERT_EQ(ode.size(), steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) EXPECT_DOUBLE_EQ(ode[i], double(steps[i]) / 1000) << i;
}

}  // namespace
