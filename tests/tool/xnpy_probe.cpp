// Is xtensor's .npy reader (xtensor/xnpy.hpp, Debian libxtensor-dev 0.24) strict enough for the
// tool? This probe feeds it valid files NumPy would write and the malformed cases the tool must
// refuse, and prints what it does with each. Not a test of ours: the record behind docs/TOOL.md
// section "npy" (run: ninja -C build/host npy_xnpy_probe && build/host/tests/tool/npy_xnpy_probe).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

#include <xtensor/xnpy.hpp>

namespace {

// A .npy image: magic, version, little-endian header length, the dict padded with spaces and a
// newline so the data starts at a multiple of 64 (as NumPy writes), then the data bytes.
std::string npy_image(int major, const std::string& dict, const std::string& data) {
    const std::size_t prefix = major == 1 ? 10 : 12;
    std::string header = dict;
    while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::string out = "\x93NUMPY";
    out += char(major);
    out += char(0);
    const std::size_t len = header.size();
    for (std::size_t b = 0; b < (major == 1 ? 2u : 4u); ++b) out += char((len >> (8 * b)) & 0xff);
    return out + header + data;
}

std::string doubles_le(std::initializer_list<double> values) {
    std::string s;
    for (double v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);  // the host is little endian
    return s;
}

std::string doubles_be(std::initializer_list<double> values) {
    std::string s;
    for (double v : values) {
        char b[8];
        std::memcpy(b, &v, 8);
        for (int i = 7; i >= 0; --i) s += b[i];
    }
    return s;
}

// What xnpy makes of one image: the shape and values it returns, or the message it throws.
void probe(const char* label, const std::string& image) {
    std::istringstream in(image);
    try {
        auto a = xt::load_npy<double>(in);
        std::printf("%-44s accepted: shape (", label);
        for (std::size_t d : a.shape()) std::printf("%zu,", d);
        std::printf(") values");
        for (std::size_t i = 0; i < a.size() && i < 6; ++i) std::printf(" %g", a.data()[i]);
        std::printf("\n");
    } catch (const std::exception& e) {
        std::printf("%-44s threw: %s\n", label, e.what());
    }
}

}  // namespace

int main() {
    const std::string f8 = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    const std::string six = doubles_le({1, 2, 3, 4, 5, 6});
    probe("valid v1.0 <f8 (2, 3)", npy_image(1, f8, six));
    probe("valid v2.0 <f8 (2, 3)", npy_image(2, f8, six));
    probe("valid, keys in another order",
          npy_image(1, "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}", six));
    std::string rank25 = "{'descr': '<f8', 'fortran_order': False, 'shape': (";
    for (int d = 0; d < 25; ++d) rank25 += "1, ";
    rank25 += "), }";
    probe("valid, rank 25 of ones (header length 182)", npy_image(1, rank25, doubles_le({7})));
    probe("valid big-endian >f8", npy_image(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 3), }",
                                            doubles_be({1, 2, 3, 4, 5, 6})));
    probe("data truncated (5 of 6 values)", npy_image(1, f8, doubles_le({1, 2, 3, 4, 5})));
    probe("trailing data (7 values for 6)", npy_image(1, f8, doubles_le({1, 2, 3, 4, 5, 6, 7})));
    probe("header length past the end of the file", npy_image(1, f8, six).substr(0, 40));
    probe("bad magic", "\x93NUMPZ" + npy_image(1, f8, six).substr(6));
    probe("unknown version 4.0", [&] { std::string s = npy_image(1, f8, six); s[6] = 4; return s; }());
    probe("shape (-1,)", npy_image(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", six));
    probe("shape whose product overflows (2^33, 2^31)",
          npy_image(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (8589934592, 2147483648), }", six));
    probe("shape (3) (an int, not a tuple)", npy_image(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3), }",
                                                       doubles_le({1, 2, 3})));
    probe("shape (2, x)", npy_image(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }", six));
    probe("descr <f4 read as double", npy_image(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                                                doubles_le({1})));
    probe("fortran_order True", npy_image(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", six));
    probe("an unknown fourth key", npy_image(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", six));
    return 0;
}
