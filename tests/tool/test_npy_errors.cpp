// Every malformed file the reader must refuse, each with its own one-line message
// "name: what is wrong (expected ..., found ...)".
#include <gtest/gtest.h>

#include <sstream>

#include "npy_test_util.hpp"
#include "tool/npy/npy.hpp"

namespace npy = twolayer::tool::npy;
using npy_test::bytes;
using npy_test::dict;
using npy_test::image;

namespace {

// The message read() throws for img; fails the test when it reads, or when the message is not one
// line starting with the name.
std::string error_of(const std::string& img) {
    std::istringstream in(img);
    try {
        npy::read(in, "bad.npy");
    } catch (const npy::error& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind("bad.npy: ", 0), 0u) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        EXPECT_EQ("bad.npy: " + e.problem(), what);
        return what;
    }
    ADD_FAILURE() << "read without an error";
    return "";
}

#define EXPECT_NPY_ERROR(img, part) EXPECT_NE(error_of(img).find(part), std::string::npos) << error_of(img)

const std::string good_dict = dict("<f8", "(2, 3)");
const std::string six = bytes<double>({1, 2, 3, 4, 5, 6});

}  // namespace

TEST(npy_errors, bad_magic) {
    EXPECT_NPY_ERROR("\x93NUMPZ" + image(good_dict, six).substr(6), "not a .npy file (expected the magic \\x93NUMPY, found '\\x93NUMPZ')");
    EXPECT_NPY_ERROR("hello world, this is text", "not a .npy file");
    EXPECT_NPY_ERROR(std::string("PK\x03\x04", 4) + std::string(100, 'x'), "a .npz archive?");
}

TEST(npy_errors, empty_and_truncated_preamble) {
    EXPECT_NPY_ERROR("", "truncated: the file ends inside the .npy preamble (expected 8 bytes, found 0)");
    EXPECT_NPY_ERROR("\x93NUM", "(expected 8 bytes, found 4)");
    EXPECT_NPY_ERROR(std::string("\x93NUMPY\x01\x00\x76", 9), "truncated: the file ends inside the header length (expected 2 bytes, found 1)");
    EXPECT_NPY_ERROR(std::string("\x93NUMPY\x02\x00\x76\x00", 10), "header length (expected 4 bytes, found 2)");
}

TEST(npy_errors, unknown_version) {
    std::string img = image(good_dict, six);
    img[6] = 4;
    EXPECT_NPY_ERROR(img, "unsupported .npy version 4.0 (expected 1.0, 2.0 or 3.0)");
    img[6] = 1;
    img[7] = 1;
    EXPECT_NPY_ERROR(img, "unsupported .npy version 1.1");
    img[6] = 0;
    img[7] = 0;
    EXPECT_NPY_ERROR(img, "unsupported .npy version 0.0");
}

TEST(npy_errors, header_length_past_the_file) {
    const std::string img = image(good_dict, six);
    EXPECT_NPY_ERROR(img.substr(0, 40), "header length 118 runs past the end of the file (expected 118 header bytes, found 30)");
    std::string huge = img.substr(0, 64);
    huge[8] = '\xff';
    huge[9] = '\xff';
    EXPECT_NPY_ERROR(huge, "header length 65535 runs past the end of the file");
}

TEST(npy_errors, truncated_header_dict) {
    // The length field agrees with the bytes, but the dict is cut: a header that ends early.
    EXPECT_NPY_ERROR(image("{'descr': '<f8', 'fortran_order': False, 'sha", six), "a string that does not close");
    EXPECT_NPY_ERROR(image("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3", six),
                     "expected ',' or ')' in 'shape' (found the end of the header)");
    EXPECT_NPY_ERROR(image("{'descr': '<f8', 'fortran_order': False", six), "expected ',' or '}' after the value of 'fortran_order' (found the end of the header)");
}

TEST(npy_errors, header_without_final_newline) {
    std::string img = image(good_dict, six);
    img[127] = ' ';  // the newline before the data
    EXPECT_NPY_ERROR(img, "bad header: it does not end with a newline (expected '\\x0a' last, found ' ')");
}

TEST(npy_errors, bad_dict) {
    const struct {
        std::string dict, part;
    } cases[] = {
        {"['descr', '<f8']", "expected the dict's '{' (found '[')"},
        {"{'descr': '<f8', 'shape': (2, 3)}", "the key 'fortran_order' is missing"},
        {"{'descr': '<f8', 'fortran_order': False}", "the key 'shape' is missing"},
        {"{'fortran_order': False, 'shape': (2, 3)}", "the key 'descr' is missing"},
        {"{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}", "the key 'descr' appears twice"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", "unknown key 'x'"},
        {"{descr: '<f8', 'fortran_order': False, 'shape': (2, 3)}", "expected a key 'descr', 'fortran_order' or 'shape' (found 'descr')"},
        {"{'descr' '<f8', 'fortran_order': False, 'shape': (2, 3)}", "expected ':' after 'descr' (found the string '<f8')"},
        {"{'descr': '<f8' 'fortran_order': False, 'shape': (2, 3)}", "expected ',' or '}' after the value of 'descr'"},
        {"{, 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}", "(found ',')"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3),,}", "(found ',')"},
        {"{'descr': '<f8', 'fortran_order': false, 'shape': (2, 3)}", "'fortran_order' must be True or False (found 'false')"},
        {"{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 3)}", "'fortran_order' must be True or False (found '0')"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': [2, 3]}", "expected a tuple '(' for 'shape' (found '[')"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (6)}", "'shape' (6) is an int in Python, not a tuple (expected (6,))"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3)}", "negative extent -3 in 'shape'"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 03)}", "extent 03 in 'shape' has a leading zero"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L)}", "extent 2L in 'shape' is not a decimal integer"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, x)}", "expected an extent in 'shape' (found 'x')"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", "extent 99999999999999999999 in 'shape' does not fit in 64 bits"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)} x", "text after the dict (expected only padding, found 'x')"},
        {"{'descr': '<f\\x38', 'fortran_order': False, 'shape': (2, 3)}", "a backslash escape"},
        {"{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2, 3)}", "structured dtypes are not supported"},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}\x01", "found '\\x01'"},
    };
    for (const auto& c : cases) {
        EXPECT_NPY_ERROR(image(c.dict, six), "bad.npy: bad header: ");
        EXPECT_NPY_ERROR(image(c.dict, six), c.part);
    }
}

// Found by tests/fuzz (fuzz_npy): a string in the header holding a newline and a NUL was echoed as
// it was, so the message was two lines and a C string of it stopped at the NUL. Every byte of a
// string the message quotes is now shown as printable() shows it.
TEST(npy_errors, strings_quoted_in_messages_are_escaped) {
    const std::string key("'ke\ny\0'", 7);
    EXPECT_NPY_ERROR(image("{" + key + ": 1}", six), "unknown key 'ke\\x0ay\\x00'");
    EXPECT_NPY_ERROR(image("{" + key + " 1}", six), "expected ':' after 'ke\\x0ay\\x00'");
    EXPECT_NPY_ERROR(image("{'descr': '<f\t8', 'fortran_order': False, 'shape': (2, 3)}", six), "unsupported descr '<f\\x098'");
    EXPECT_NPY_ERROR(image("{'descr': '\n', 'fortran_order': False, 'shape': (2, 3)}", six), "'\\x0a'");
    EXPECT_NPY_ERROR(image("{'descr' " + std::string("'a\0b'", 5) + "}", six), "(found the string 'a\\x00b')");
}

TEST(npy_errors, unknown_descr) {
    for (const std::string d : {"<f2", "<f16", "<c16", "<d", "<U8", "O", "<b1", "<u4", ""})
        EXPECT_NPY_ERROR(image(dict(d, "(2, 3)"), six), "bad header: unsupported descr '" + d + "' (expected '<f4', '<f8'");
    EXPECT_NPY_ERROR(image(dict("|f8", "(2, 3)"), six), "descr '|f8' gives no byte order for a 8-byte type (expected '<f8' or '>f8')");
    EXPECT_NPY_ERROR(image(dict("=f8", "(2, 3)"), six), "descr '=f8' has no byte order a file can mean (expected '<f8' or '>f8')");
    EXPECT_NPY_ERROR(image(dict("!f4", "(2, 3)"), six), "descr '!f4' has no byte order");
}

TEST(npy_errors, truncated_data) {
    EXPECT_NPY_ERROR(image(good_dict, six.substr(0, 40)), "data truncated (expected 48 bytes for shape (2, 3) of <f8, found 40)");
    EXPECT_NPY_ERROR(image(good_dict, six.substr(0, 43)), "data truncated (expected 48 bytes for shape (2, 3) of <f8, found 43)");
    EXPECT_NPY_ERROR(image(good_dict, ""), "(expected 48 bytes for shape (2, 3) of <f8, found 0)");
    EXPECT_NPY_ERROR(image(dict("<f8", "()"), ""), "data truncated (expected 8 bytes for shape () of <f8, found 0)");
    // Past one read chunk (64 KiB): the count is of all the bytes that came.
    EXPECT_NPY_ERROR(image(dict("<f4", "(20000,)"), std::string(70001, '\0')), "(expected 80000 bytes for shape (20000,) of <f4, found 70001)");
}

TEST(npy_errors, trailing_data) {
    EXPECT_NPY_ERROR(image(good_dict, six + "x"), "trailing data after the array (expected 48 bytes for shape (2, 3) of <f8, found 49)");
    EXPECT_NPY_ERROR(image(dict("<f4", "(0,)"), "abcd"), "trailing data after the array (expected 0 bytes for shape (0,) of <f4, found 4)");
    // Two arrays in one file (np.save twice to one handle) are not one array.
    EXPECT_NPY_ERROR(image(good_dict, six) + image(good_dict, six), "trailing data");
}

TEST(npy_errors, shape_product_overflows) {
    EXPECT_NPY_ERROR(image(dict("<f8", "(8589934592, 2147483648)"), six), "shape (8589934592, 2147483648) has more elements than fit in 64 bits");
    // As NumPy: a zero extent does not make an impossible shape possible.
    EXPECT_NPY_ERROR(image(dict("<f8", "(0, 4294967296, 4294967296)"), ""), "has more elements than fit in 64 bits");
    // The count fits, the bytes do not (2^62 elements of 8 bytes).
    EXPECT_NPY_ERROR(image(dict("<f8", "(4611686018427387904,)"), six), "needs more bytes than a file can hold");
    // A huge shape that fits is refused when its data runs out, without taking its memory first.
    EXPECT_NPY_ERROR(image(dict("<f8", "(1000000000000,)"), six), "data truncated (expected 8000000000000 bytes");
}

TEST(npy_errors, int64_not_a_double) {
    EXPECT_NPY_ERROR(image(dict("<i8", "(2,)"), bytes<std::int64_t>({1}) + std::string("\x01\x00\x00\x00\x00\x00\x20\x00", 8)),
                     "element 1 (int64 9007199254740993) is not exactly representable as a double");
    EXPECT_NPY_ERROR(image(dict("<i8", "(1,)"), std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8)), "int64 9223372036854775807");
}

TEST(npy_errors, files_that_cannot_be_read) {
    try {
        npy::read_file("/nonexistent/w.npy");
        ADD_FAILURE() << "read a missing file";
    } catch (const npy::error& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/w.npy: cannot open the file (No such file or directory)");
    }
    try {
        npy::read_file(::testing::TempDir());
        ADD_FAILURE() << "read a directory";
    } catch (const npy::error& e) {
        EXPECT_NE(std::string(e.what()).find("is a directory (expected a .npy file)"), std::string::npos) << e.what();
    }
}
