// The C++ side of npy_numpy_round_trip.py: reads a .npy file and prints what the reader made of
// it, or writes values given as text, so NumPy can check both directions independently.
//   npy_io_helper dump FILE          line 1: the stored dtype ("<f8") and the shape's extents;
//                                    then one value a line, printed exactly (%.17g)
//   npy_io_helper write FILE f4|f8 EXTENT...   values from stdin (strtod's spelling: nan, -inf)
// Exit 0 done, 2 an error (its one line on stderr).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "tool/npy/npy.hpp"

namespace npy = twolayer::tool::npy;

namespace {

int dump(const std::string& path) {
    const npy::array a = npy::read_file(path);
    std::printf("%s", npy::descr_of(a.stored).c_str());
    for (std::size_t d : a.shape) std::printf(" %zu", d);
    std::printf("\n");
    for (double v : a.values) std::printf("%.17g\n", v);
    return 0;
}

int write(const std::string& path, const std::string& type, int extents, char** extent) {
    std::vector<std::size_t> shape;
    for (int i = 0; i < extents; ++i) shape.push_back(std::size_t(std::strtoull(extent[i], nullptr, 10)));
    std::vector<double> values;
    for (std::string word; std::cin >> word;) values.push_back(std::strtod(word.c_str(), nullptr));
    if (values.size() != npy::element_count(shape, path)) {
        std::fprintf(stderr, "%zu values for shape %s\n", values.size(), npy::shape_string(shape).c_str());
        return 2;
    }
    npy::write_file(path, shape, values.data(), type == "f4" ? npy::dtype::float32 : npy::dtype::float64, "--out");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string cmd = argc > 2 ? argv[1] : "";
    try {
        if (cmd == "dump" && argc == 3) return dump(argv[2]);
        if (cmd == "write" && argc >= 4) return write(argv[2], argv[3], argc - 4, argv + 4);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
    std::fprintf(stderr, "usage: npy_io_helper dump FILE | write FILE f4|f8 EXTENT...\n");
    return 2;
}
