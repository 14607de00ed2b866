// Byte-level .npy images for the tests: a header dict of our choosing, padded as NumPy pads,
// and data bytes in either byte order, built without the code under test.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "bytes<T>() takes the host for little-endian");

namespace npy_test {

/// Magic, version (major.minor), little-endian header length (2 bytes for 1.x, else 4), the dict
/// padded with spaces and a newline so the data starts at a multiple of 64, then data.
inline std::string image(const std::string& dict, const std::string& data, int major = 1, int minor = 0) {
    const std::size_t field = major == 1 ? 2 : 4;
    std::string header = dict;
    while ((8 + field + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::string out = "\x93NUMPY";
    out += char(major);
    out += char(minor);
    for (std::size_t b = 0; b < field; ++b) out += char((header.size() >> (8 * b)) & 0xff);
    return out + header + data;
}

/// The dict NumPy writes for descr and a shape spelled as Python prints it ("(2, 3)").
inline std::string dict(const std::string& descr, const std::string& shape, bool fortran = false) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
}

/// The bytes of each value as T, little-endian or big-endian.
template <class T>
std::string bytes(const std::vector<double>& values, bool big_endian = false) {
    std::string s;
    for (double v : values) {
        const T t = static_cast<T>(v);
        unsigned char b[sizeof(T)];
        std::memcpy(b, &t, sizeof t);  // the test host is little-endian (x86-64)
        for (std::size_t i = 0; i < sizeof(T); ++i) s += char(b[big_endian ? sizeof(T) - 1 - i : i]);
    }
    return s;
}

}  // namespace npy_test
