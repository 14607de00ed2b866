// The settings' checks and the report times.
#include <gtest/gtest.h>

#include "sim_test_util.hpp"
#include "tool/sim/train_run.hpp"
#include "tool/usage_error.hpp"

namespace {

using namespace tl_sim_test;

TEST(ReportSteps, LogSpacedFromOneStepToTheEnd) {
    for (std::uint64_t total : {1ull, 2ull, 7ull, 1000ull, 123457ull})
        for (long reports : {1L, 2L, 5L, 50L, 2000L}) {
            const std::vector<std::uint64_t> s = report_steps(total, reports);
            ASSERT_GE(s.size(), 2u);
            EXPECT_EQ(s.front(), 0u);
            EXPECT_EQ(s.back(), total);
            EXPECT_LE(s.size(), std::size_t(reports) + 1);
            for (std::size_t i = 1; i < s.size(); ++i) EXPECT_LT(s[i - 1], s[i]);
            EXPECT_EQ(s[1], reports == 1 ? total : 1u);  // the first report after one step
            EXPECT_EQ(s.size(), std::size_t(std::min<std::uint64_t>(std::uint64_t(reports), total)) + 1);
        }
}

TEST(ReportSteps, RatiosAreEven) {
    const std::vector<std::uint64_t> s = report_steps(1000000, 7);  // 1, 10, ..., 10^6
    ASSERT_EQ(s.size(), 8u);
    const std::vector<std::uint64_t> expected = {0, 1, 10, 100, 1000, 10000, 100000, 1000000};
    EXPECT_EQ(s, expected);
}

TEST(CheckSettings, RefusesWhatTheOptionsCannotSee) {
    train_settings ok = small_settings(100, 2, 2, "bf16");
    EXPECT_NO_THROW(check_settings(ok));
    auto refused = [&](auto change) {
        train_settings s = ok;
        change(s);
        EXPECT_THROW(check_settings(s), usage_error);
    };
    refused([](train_settings& s) { s.training.t_max = 0.001; });  // 0.1 steps at N = 100
    refused([](train_settings& s) { s.batch = 5; });                // without --samples
    refused([](train_settings& s) { s.samples = 10; s.batch = 11; });
    refused([](train_settings& s) { s.format = "float"; s.rounding = rounding_mode::stochastic; });
    refused([](train_settings& s) { s.format = "double"; s.master = true; });
    refused([](train_settings& s) { s.master = true; s.rounding = rounding_mode::stochastic; });
    train_settings gd = ok;
    gd.samples = 10;
    gd.batch = 10;
    EXPECT_NO_THROW(check_settings(gd));
}

TEST(Closedform, OnlyForEqualActivationsWithAKernel) {
    EXPECT_TRUE(has_closed_form(activation_id::erf, activation_id::erf));
    EXPECT_TRUE(has_closed_form(activation_id::linear, activation_id::linear));
    EXPECT_FALSE(has_closed_form(activation_id::erf, activation_id::relu));
    EXPECT_FALSE(has_closed_form(activation_id::tanh, activation_id::tanh));
}

// A refused step ends the chain: the rows so far, a last row marked refused, the message.
TEST(Divergence, RefusedStepEndsTheChainWithItsRows) {
    train_settings s = small_settings(40, 2, 2, "double");
    s.model.act = s.model.teacher_act = activation_id::quadratic;
    s.training.lr = 50;
    s.training.t_max = 100;
    job_progress p;
    const job_result r = run_train_chain(s, 4, p);
    ASSERT_TRUE(r.failed);
    EXPECT_EQ(r.message.rfind("chain 4: step ", 0), 0u) << r.message;
    EXPECT_NE(r.message.find("(t = "), std::string::npos) << r.message;
    const std::size_t last = r.rows.rfind('\n', r.rows.size() - 2);
    const std::string last_row = r.rows.substr(last + 1);
    EXPECT_EQ(last_row.substr(last_row.size() - 3), ",1\n") << last_row;
    const std::string step = last_row.substr(0, last_row.size() - 3).substr(last_row.substr(0, last_row.size() - 3).rfind(',') + 1);
    EXPECT_NE(r.message.find("step " + step + " "), std::string::npos) << r.message << " vs row " << last_row;
    EXPECT_EQ(r.rows.substr(0, 4), "4,0,");  // the t = 0 row is kept
    EXPECT_LT(p.get(), 1.0);
}

}  // namespace
