// The number grids of the tool's options (src/tool/research/grids, src/tool/hessian/alpha_grid):
// what they accept, in range and in order, and the one-line usage_error naming the option for the
// rest. Includes what tests/fuzz (fuzz_cli_numbers) found.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tool/hessian/alpha_grid.hpp"
#include "tool/research/grids.hpp"
#include "tool/usage_error.hpp"

namespace research = twolayer::tool::research;
namespace hessian = twolayer::tool::hessian;
using twolayer::tool::usage_error;

namespace {

// The message of the usage_error f throws ("" and a test failure when it throws none).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const usage_error& e) {
        return e.what();
    }
    ADD_FAILURE() << "no usage_error";
    return "";
}

}  // namespace

TEST(tool_grids, log_grid_points) {
    const std::vector<double> g = research::parse_log_grid("1:100:3", "--weights");
    ASSERT_EQ(g.size(), 3u);
    EXPECT_EQ(g[0], 1.0);
    EXPECT_NEAR(g[1], 10.0, 1e-12);
    EXPECT_EQ(g[2], 100.0);
    EXPECT_EQ(research::parse_log_grid("2.5:2.5:1", "--weights"), std::vector<double>{2.5});
}

// Found by fuzz_cli_numbers: with a = b, exp(log(a)) rounded above a, so the middle points of
// "300:300:9" lay above b. Every point now lies in [a, b].
TEST(tool_grids, log_grid_with_equal_ends_stays_within_them) {
    for (const char* text : {"300:300:9", "0.1:0.1:5", "7:7.000000000000001:4"}) {
        const std::vector<double> g = research::parse_log_grid(text, "--weights");
        for (std::size_t i = 0; i < g.size(); ++i) {
            EXPECT_GE(g[i], g.front()) << text << " point " << i;
            EXPECT_LE(g[i], g.back()) << text << " point " << i;
            if (i) {
                EXPECT_GE(g[i], g[i - 1]) << text << " point " << i;
            }
        }
    }
    EXPECT_EQ(research::parse_log_grid("300:300:9", "--weights"), std::vector<double>(9, 300.0));
}

TEST(tool_grids, log_grid_errors_name_the_option) {
    for (const char* text : {"1:2", "5:1:3", "0:10:3", "1:10:2.5", "a:b:c", "1:10:0", "1:10:10001", "inf:inf:2", "1:2:1", ""})
        EXPECT_EQ(error_of([&] { research::parse_log_grid(text, "--weights"); }).rfind("--weights", 0), 0u) << text;
}

// Found by fuzz_cli_numbers: (b - a) i overflowed to inf for b near the largest double, so
// "1e-300:1e307:103" had infinite points. Now finite, within [a, b] and in order.
TEST(tool_grids, scan_near_the_largest_double_stays_finite) {
    for (const char* text : {"1e-300:1e307:103", "1:1.7e308:1000000"}) {
        const std::vector<double> g = hessian::parse_scan(text);
        for (std::size_t i = 0; i < g.size(); ++i) {
            ASSERT_TRUE(std::isfinite(g[i]) && g[i] >= g.front() && g[i] <= g.back()) << text << " point " << i << ": " << g[i];
            if (i) {
                ASSERT_GE(g[i], g[i - 1]) << text << " point " << i;
            }
        }
    }
}

TEST(tool_grids, scan_points_and_errors) {
    EXPECT_EQ(hessian::parse_scan("1:4:4"), (std::vector<double>{1, 2, 3, 4}));
    for (const char* text : {"1:4", "4:1:2", "0:1:2", "1:2:0", "nan:1:2", "1:2:1.5"})
        EXPECT_EQ(error_of([&] { hessian::parse_scan(text); }).rfind("--scan-alpha", 0), 0u) << text;
}

TEST(tool_grids, int_list) {
    EXPECT_EQ(research::parse_int_list("8,32,128", "--widths", 1, 4096), (std::vector<long>{8, 32, 128}));
    for (const char* text : {"", "8,,32", "32,8", "8,8", "-1", "0", "4097", "1.5", "8,", "9999999999999"})
        EXPECT_EQ(error_of([&] { research::parse_int_list(text, "--widths", 1, 4096); }).rfind("--widths", 0), 0u) << text;
}
