// The reader on valid files built byte by byte: every dtype and byte order, header variants a
// Python dict allows, every rank including () and zero extents, Fortran order, versions 1-3.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "npy_test_util.hpp"
#include "tool/npy/npy.hpp"

namespace npy = twolayer::tool::npy;
using npy_test::bytes;
using npy_test::dict;
using npy_test::image;

namespace {

npy::array read_image(const std::string& img) {
    std::istringstream in(img);
    return npy::read(in, "t.npy");
}

const std::vector<double> six = {1.5, -2.25, 3e-3, 4e10, -0.0, 6.125};

}  // namespace

TEST(npy_read, float64_2x3) {
    const npy::array a = read_image(image(dict("<f8", "(2, 3)"), bytes<double>(six)));
    EXPECT_EQ(a.shape, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(a.stored, npy::dtype::float64);
    EXPECT_EQ(a.values, six);
    EXPECT_TRUE(std::signbit(a.values[4]));
}

TEST(npy_read, float32_widened_exactly) {
    const std::vector<double> v = {0.1, 1e-40, 3.4e38};  // a rounding, a subnormal, near the top
    const npy::array a = read_image(image(dict("<f4", "(3,)"), bytes<float>(v)));
    EXPECT_EQ(a.stored, npy::dtype::float32);
    ASSERT_EQ(a.values.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(a.values[i], double(float(v[i])));
}

TEST(npy_read, big_endian_floats_and_ints) {
    EXPECT_EQ(read_image(image(dict(">f8", "(2, 3)"), bytes<double>(six, true))).values, six);
    const npy::array f = read_image(image(dict(">f4", "(2,)"), bytes<float>({0.5, -3.75}, true)));
    EXPECT_EQ(f.values, (std::vector<double>{0.5, -3.75}));
    const npy::array i4 = read_image(image(dict(">i4", "(3,)"), bytes<std::int32_t>({-1, 70000, -2147483648.0}, true)));
    EXPECT_EQ(i4.stored, npy::dtype::int32);
    EXPECT_EQ(i4.values, (std::vector<double>{-1, 70000, -2147483648.0}));
    const npy::array i8 = read_image(image(dict(">i8", "(2,)"), bytes<std::int64_t>({-5, 9007199254740992.0}, true)));
    EXPECT_EQ(i8.values, (std::vector<double>{-5, 9007199254740992.0}));
}

TEST(npy_read, little_endian_ints_and_bytes) {
    EXPECT_EQ(read_image(image(dict("<i4", "(2,)"), bytes<std::int32_t>({-7, 123456}))).values, (std::vector<double>{-7, 123456}));
    EXPECT_EQ(read_image(image(dict("<i8", "(1,)"), bytes<std::int64_t>({-1}))).values, (std::vector<double>{-1}));
    const npy::array i1 = read_image(image(dict("|i1", "(2,)"), bytes<std::int8_t>({-128, 127})));
    EXPECT_EQ(i1.stored, npy::dtype::int8);
    EXPECT_EQ(i1.values, (std::vector<double>{-128, 127}));
    const npy::array u1 = read_image(image(dict("|u1", "(2,)"), bytes<std::uint8_t>({255, 0})));
    EXPECT_EQ(u1.stored, npy::dtype::uint8);
    EXPECT_EQ(u1.values, (std::vector<double>{255, 0}));
    // A byte order on a one-byte type means nothing, and NumPy accepts it: so do we.
    EXPECT_EQ(read_image(image(dict(">u1", "(1,)"), bytes<std::uint8_t>({200}))).values, (std::vector<double>{200}));
}

TEST(npy_read, int64_exact_beyond_2_53_when_representable) {
    // 2^60 is a double; 2^53 + 1 is not (an error test covers it).
    EXPECT_EQ(read_image(image(dict("<i8", "(1,)"), bytes<std::int64_t>({1152921504606846976.0}))).values[0], 1152921504606846976.0);
}

TEST(npy_read, header_as_python_dict_allows) {
    const std::string data = bytes<double>({1, 2});
    for (const std::string d : {
             "{'shape': (2,), 'fortran_order': False, 'descr': '<f8'}",        // other key order, no trailing comma
             "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,)}",  // double quotes
             "{ 'descr' :'<f8' ,\t'fortran_order':False,'shape':( 2 , ) , }",   // any whitespace
             "{'descr': '<f8',\n 'fortran_order': False,\n 'shape': (2,)}",     // newlines (pprint's style)
         }) {
        const npy::array a = read_image(image(d, data));
        EXPECT_EQ(a.shape, (std::vector<std::size_t>{2})) << d;
        EXPECT_EQ(a.values, (std::vector<double>{1, 2})) << d;
    }
}

TEST(npy_read, rank_zero_and_zero_extents) {
    const npy::array scalar = read_image(image(dict("<f8", "()"), bytes<double>({42})));
    EXPECT_TRUE(scalar.shape.empty());
    EXPECT_EQ(scalar.values, (std::vector<double>{42}));
    const npy::array empty = read_image(image(dict("<f4", "(0,)"), ""));
    EXPECT_EQ(empty.shape, (std::vector<std::size_t>{0}));
    EXPECT_TRUE(empty.values.empty());
    const npy::array empty3 = read_image(image(dict("<f8", "(2, 0, 3)"), ""));
    EXPECT_EQ(empty3.shape, (std::vector<std::size_t>{2, 0, 3}));
    EXPECT_TRUE(empty3.values.empty());
}

TEST(npy_read, rank_3) {
    std::vector<double> v(24);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = double(i) * 0.5 - 3;
    const npy::array a = read_image(image(dict("<f8", "(2, 3, 4)"), bytes<double>(v)));
    EXPECT_EQ(a.shape, (std::vector<std::size_t>{2, 3, 4}));
    EXPECT_EQ(a.values, v);
}

TEST(npy_read, fortran_order_is_transposed_to_c_order) {
    // The 2 x 3 matrix [[1 2 3] [4 5 6]] stored column by column.
    const npy::array m = read_image(image(dict("<f8", "(2, 3)", true), bytes<double>({1, 4, 2, 5, 3, 6})));
    EXPECT_EQ(m.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
    // Rank 3: element (i, j, k) = 100 i + 10 j + k sits at Fortran position i + 2 j + 6 k.
    std::vector<double> fortran(24), c(24);
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 4; ++k) {
                fortran[std::size_t(i + 2 * j + 6 * k)] = 100 * i + 10 * j + k;
                c[std::size_t(12 * i + 4 * j + k)] = 100 * i + 10 * j + k;
            }
    EXPECT_EQ(read_image(image(dict("<f8", "(2, 3, 4)", true), bytes<double>(fortran))).values, c);
    // Rank 1: the two orders are one.
    EXPECT_EQ(read_image(image(dict("<f8", "(3,)", true), bytes<double>({7, 8, 9}))).values, (std::vector<double>{7, 8, 9}));
}

TEST(npy_read, versions_2_and_3) {
    for (int major : {2, 3}) {
        const npy::array a = read_image(image(dict("<f8", "(2, 3)"), bytes<double>(six), major));
        EXPECT_EQ(a.values, six) << major;
    }
}

TEST(npy_read, header_length_with_high_low_byte) {
    // Rank 25: the header is 182 bytes (0xb6), whose low byte a signed-char reader gets wrong.
    std::string shape = "(";
    for (int d = 0; d < 25; ++d) shape += "1, ";
    shape += ")";
    const std::string img = image(dict("<f8", shape), bytes<double>({7}));
    ASSERT_EQ(static_cast<unsigned char>(img[8]), 0xb6);
    const npy::array a = read_image(img);
    EXPECT_EQ(a.shape, std::vector<std::size_t>(25, 1));
    EXPECT_EQ(a.values, (std::vector<double>{7}));
}

TEST(npy_read, read_file_of_a_written_image) {
    const std::string path = ::testing::TempDir() + "npy_read_file.npy";
    {
        std::ofstream out(path, std::ios::binary);
        const std::string img = image(dict("<f8", "(2, 3)"), bytes<double>(six));
        out.write(img.data(), std::streamsize(img.size()));
    }
    EXPECT_EQ(npy::read_file(path).values, six);
    std::remove(path.c_str());
}
