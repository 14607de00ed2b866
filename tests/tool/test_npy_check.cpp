// What the tool asks of a file it reads: read_expect's shape patterns and finiteness, and every
// failure turned into the bad-input line "--option path: what is wrong".
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tool/npy/npy.hpp"
#include "tool/usage_error.hpp"

namespace npy = twolayer::tool::npy;
using twolayer::tool::usage_error;

namespace {

std::string saved(const std::string& name, const std::vector<std::size_t>& shape, const std::vector<double>& v) {
    const std::string path = ::testing::TempDir() + "npy_check_" + name + ".npy";
    npy::write_file(path, shape, v.data(), npy::dtype::float64, "--out");
    return path;
}

// The usage_error read_expect throws; fails the test when it reads.
std::string usage_error_of(const std::string& path, const npy::shape_pattern& expected, npy::finite check = npy::finite::required) {
    try {
        npy::read_expect(path, "--teacher", expected, check);
    } catch (const usage_error& e) {
        return e.what();
    }
    ADD_FAILURE() << path << " read without an error";
    return "";
}

}  // namespace

TEST(npy_check, patterns) {
    EXPECT_TRUE(npy::matches({3, 4}, {3, -1}));
    EXPECT_TRUE(npy::matches({3, 4}, {-1, -1}));
    EXPECT_TRUE(npy::matches({}, {}));
    EXPECT_FALSE(npy::matches({3, 4}, {4, -1}));
    EXPECT_FALSE(npy::matches({3, 4}, {3}));
    EXPECT_FALSE(npy::matches({12}, {3, 4}));
    EXPECT_EQ(npy::pattern_string({3, -1}), "(3, any)");
    EXPECT_EQ(npy::pattern_string({-1}), "(any,)");
}

TEST(npy_check, read_expect_takes_a_matching_file) {
    const std::string path = saved("ok", {2, 3}, {1, 2, 3, 4, 5, 6});
    const npy::array a = npy::read_expect(path, "--teacher", {2, -1});
    EXPECT_EQ(a.shape, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(a.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(npy_check, read_expect_shape_mismatch) {
    const std::string path = saved("mismatch", {3, 4}, std::vector<double>(12, 1.0));
    EXPECT_EQ(usage_error_of(path, {2, -1}), "--teacher " + path + ": wrong shape (expected (2, any), found (3, 4))");
    EXPECT_EQ(usage_error_of(path, {12}), "--teacher " + path + ": wrong shape (expected (12,), found (3, 4))");
}

TEST(npy_check, read_expect_refuses_non_finite_unless_allowed) {
    const std::string path = saved("nan", {2, 3}, {1, 2, 3, 4, std::nan(""), 6});
    EXPECT_EQ(usage_error_of(path, {2, 3}), "--teacher " + path + ": element (1, 1) is not finite (expected finite values, found nan)");
    EXPECT_EQ(npy::read_expect(path, "--teacher", {2, 3}, npy::finite::allowed).values.size(), 6u);
    const std::string inf = saved("inf", {3}, {1, -HUGE_VAL, 3});
    EXPECT_EQ(usage_error_of(inf, {-1}), "--teacher " + inf + ": element (1,) is not finite (expected finite values, found -inf)");
}

TEST(npy_check, read_expect_names_the_option_for_read_errors) {
    EXPECT_EQ(usage_error_of("/nonexistent/t.npy", {-1}), "--teacher /nonexistent/t.npy: cannot open the file (No such file or directory)");
    const std::string path = ::testing::TempDir() + "npy_check_text.npy";
    {
        std::ofstream out(path);
        out << "not an array\n";
    }
    EXPECT_EQ(usage_error_of(path, {-1}), "--teacher " + path + ": not a .npy file (expected the magic \\x93NUMPY, found 'not an')");
}

TEST(npy_check, require_finite_names_the_file) {
    npy::array a{{2}, npy::dtype::float32, {1, HUGE_VAL}};
    try {
        npy::require_finite(a, "w.npy");
        ADD_FAILURE() << "inf accepted";
    } catch (const npy::error& e) {
        EXPECT_STREQ(e.what(), "w.npy: element (1,) is not finite (expected finite values, found inf)");
    }
    a.values[1] = 2;
    EXPECT_NO_THROW(npy::require_finite(a, "w.npy"));
    EXPECT_EQ(npy::first_non_finite(a), std::nullopt);
}
