// The writer: its bytes (NumPy's header, 64-byte alignment, version 2.0 only when needed), exact
// round trips through the reader, and write_file's promise: a complete file or none.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <sys/resource.h>

#include "tool/npy/npy.hpp"
#include "tool/usage_error.hpp"

namespace npy = twolayer::tool::npy;
namespace fs = std::filesystem;

namespace {

std::string written(const std::vector<std::size_t>& shape, const std::vector<double>& v, npy::dtype as) {
    std::ostringstream out;
    npy::write(out, shape, v.data(), as);
    return out.str();
}

npy::array round_trip(const std::vector<std::size_t>& shape, const std::vector<double>& v, npy::dtype as) {
    std::istringstream in(written(shape, v, as));
    return npy::read(in, "round trip");
}

// Values that catch byte-order, width and sign mistakes: negative zero, a subnormal, extremes.
const std::vector<double> awkward = {0.1, -0.0, 5e-324, -1.7976931348623157e308, 1.0 / 3, 123456789.125};

// A fresh empty directory for one test.
fs::path scratch(const std::string& name) {
    const fs::path dir = fs::path(::testing::TempDir()) / ("npy_write_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::size_t files_in(const fs::path& dir) {
    return std::size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

std::string contents(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(npy_write, header_is_numpys_padded_to_64) {
    const std::string s = written({2, 3}, std::vector<double>(6, 1.0), npy::dtype::float64);
    ASSERT_GE(s.size(), 10u);
    EXPECT_EQ(s.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t len = std::size_t(static_cast<unsigned char>(s[8])) | std::size_t(static_cast<unsigned char>(s[9])) << 8;
    EXPECT_EQ((10 + len) % 64, 0u);
    EXPECT_EQ(s.size(), 10 + len + 48);
    const std::string header = s.substr(10, len);
    EXPECT_EQ(header.rfind("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 0), 0u);
    EXPECT_EQ(header.back(), '\n');
    EXPECT_EQ(header.find_first_not_of(' ', 60), len - 1);  // spaces, then the newline
    EXPECT_NE(written({3}, {1, 2, 3}, npy::dtype::float32).find("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"),
              std::string::npos);
    EXPECT_NE(written({}, {1}, npy::dtype::float32).find("'shape': (), }"), std::string::npos);
}

TEST(npy_write, little_endian_data) {
    const std::string s = written({1}, {1.0}, npy::dtype::float64);
    EXPECT_EQ(s.substr(s.size() - 8), std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8));
    const std::string f = written({1}, {-2.0}, npy::dtype::float32);
    EXPECT_EQ(f.substr(f.size() - 4), std::string("\x00\x00\x00\xc0", 4));
}

TEST(npy_write, float64_round_trip_is_exact) {
    const npy::array a = round_trip({2, 3}, awkward, npy::dtype::float64);
    EXPECT_EQ(a.shape, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(a.stored, npy::dtype::float64);
    ASSERT_EQ(a.values.size(), awkward.size());
    for (std::size_t i = 0; i < awkward.size(); ++i) {
        EXPECT_EQ(a.values[i], awkward[i]) << i;
        EXPECT_EQ(std::signbit(a.values[i]), std::signbit(awkward[i])) << i;
    }
}

TEST(npy_write, float32_rounds_as_a_cast) {
    const std::vector<double> v = {0.1, -0.0, 1e-45, -3.4e38, 1.0 / 3, 16777217.0};
    const npy::array a = round_trip({6}, v, npy::dtype::float32);
    EXPECT_EQ(a.stored, npy::dtype::float32);
    for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(a.values[i], double(float(v[i]))) << i;
    EXPECT_TRUE(std::signbit(a.values[1]));
}

TEST(npy_write, non_finite_values_are_written_as_they_are) {
    const double inf = std::numeric_limits<double>::infinity();
    for (npy::dtype t : {npy::dtype::float32, npy::dtype::float64}) {
        const npy::array a = round_trip({3}, {std::nan(""), inf, -inf}, t);
        EXPECT_TRUE(std::isnan(a.values[0]));
        EXPECT_EQ(a.values[1], inf);
        EXPECT_EQ(a.values[2], -inf);
        EXPECT_EQ(npy::first_non_finite(a), std::optional<std::size_t>(0));
    }
}

TEST(npy_write, every_rank_and_zero_extents) {
    for (const std::vector<std::size_t>& shape : std::vector<std::vector<std::size_t>>{{}, {0}, {3}, {2, 3}, {2, 3, 4}, {2, 0, 5}}) {
        std::size_t n = 1;
        for (std::size_t d : shape) n *= d;
        std::vector<double> v(n);
        for (std::size_t i = 0; i < n; ++i) v[i] = double(i) - 2.5;
        const npy::array a = round_trip(shape, v, npy::dtype::float64);
        EXPECT_EQ(a.shape, shape);
        EXPECT_EQ(a.values, v);
    }
}

TEST(npy_write, version_2_only_when_the_header_needs_it) {
    // 21000 extents of 1 spell a header of 63 000+ characters: still 1.0; 22000 need 2.0.
    const std::string small = written(std::vector<std::size_t>(21000, 1), {5}, npy::dtype::float64);
    EXPECT_EQ(small[6], 1);
    const std::string big = written(std::vector<std::size_t>(22000, 1), {5}, npy::dtype::float64);
    EXPECT_EQ(big[6], 2);
    EXPECT_EQ(big[7], 0);
    std::size_t len = 0;
    for (int b = 0; b < 4; ++b) len |= std::size_t(static_cast<unsigned char>(big[8 + std::size_t(b)])) << (8 * b);
    EXPECT_GT(len, 65535u);
    EXPECT_EQ((12 + len) % 64, 0u);
    std::istringstream in(big);
    const npy::array a = npy::read(in, "big header");
    EXPECT_EQ(a.shape.size(), 22000u);
    EXPECT_EQ(a.values, (std::vector<double>{5}));
}

TEST(npy_write, float32_out_of_range_is_refused) {
    std::ostringstream out;
    const std::vector<double> v = {1, 1e39};
    try {
        npy::write(out, {2}, v.data(), npy::dtype::float32);
        ADD_FAILURE() << "wrote 1e39 as a float";
    } catch (const npy::error& e) {
        EXPECT_STREQ(e.what(), "npy output: element 1 (1e+39) is outside float32's range (expected |value| <= 3.4028235e38)");
    }
}

TEST(npy_write, only_float_dtypes) {
    std::ostringstream out;
    const double v = 1;
    EXPECT_THROW(npy::write(out, {1}, &v, npy::dtype::int32), std::invalid_argument);
}

TEST(npy_write, write_file_round_trip) {
    const fs::path dir = scratch("round_trip");
    const std::string path = (dir / "w.npy").string();
    npy::write_file(path, {2, 3}, awkward.data(), npy::dtype::float64, "--out");
    EXPECT_EQ(npy::read_file(path).values, awkward);
    EXPECT_EQ(files_in(dir), 1u);  // no temporary left beside it
}

TEST(npy_write, write_file_into_a_missing_directory_leaves_nothing) {
    const fs::path dir = scratch("missing_dir");
    const std::string path = (dir / "no" / "w.npy").string();
    try {
        npy::write_file(path, {6}, awkward.data(), npy::dtype::float64, "--save-weights");
        ADD_FAILURE() << "wrote into a missing directory";
    } catch (const twolayer::tool::usage_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--save-weights " + path + ": ", 0), 0u) << e.what();
    }
    EXPECT_FALSE(fs::exists(path));
    EXPECT_EQ(files_in(dir), 0u);
}

TEST(npy_write, a_failure_while_writing_keeps_the_old_file) {
    const fs::path dir = scratch("keep_old");
    const std::string path = (dir / "w.npy").string();
    npy::write_file(path, {2}, awkward.data(), npy::dtype::float64, "--out");
    const std::string before = contents(path);
    // The last value fails the float32 conversion after the header and the first chunk are out.
    std::vector<double> v(20000, 1.0);
    v.back() = 1e300;
    EXPECT_THROW(npy::write_file(path, {v.size()}, v.data(), npy::dtype::float32, "--out"), npy::error);
    EXPECT_EQ(contents(path), before);
    EXPECT_EQ(files_in(dir), 1u);
}

TEST(npy_write, a_full_disk_leaves_no_partial_file) {
    // A file-size limit makes the writes fail midway, as a full disk would (EFBIG instead of ENOSPC).
    const fs::path dir = scratch("full_disk");
    const std::string path = (dir / "w.npy").string();
    rlimit old{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
    const auto previous = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 4096;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    const std::vector<double> v(100000, 0.5);
    bool threw = false;
    try {
        npy::write_file(path, {v.size()}, v.data(), npy::dtype::float64, "--out");
    } catch (const std::runtime_error& e) {
        threw = true;
        EXPECT_NE(std::string(e.what()).find("writing failed"), std::string::npos) << e.what();
    }
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous);
    EXPECT_TRUE(threw);
    EXPECT_FALSE(fs::exists(path));
    EXPECT_EQ(files_in(dir), 0u);
}
