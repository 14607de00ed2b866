// The network behind the export tests (test_export_header.cpp, export_fixture_writer.cpp): N = 7,
// P = 3, the values a function of their index, so the writer (which makes the .npy files and blobs
// `twolayer export` reads at build time) and the test (which checks the exported arrays) compute
// the same ones independently of the files. Edge values first: -0, a double subnormal, an f16
// subnormal, values at q3_12's ends, and values no binary format holds exactly.
#pragma once
#include <cstddef>

#include "twolayer/teacher/rng.hpp"

namespace export_fixture {

constexpr std::size_t N = 7, P = 3;
constexpr std::size_t values = P * N + 2 * P + 1;  // W, v, b, c: the blob's payload order

// Value i of W (i < P N), v, b, c in that order.
inline double value(std::size_t i) {
    const double edges[] = {-0.0, 1e-310, 3e-7, 7.9998, -8.0, 0.1, 1.0 / 3.0};
    if (i < sizeof edges / sizeof edges[0]) return edges[i];
    if (i == values - 1) return -0.375;  // c
    twolayer::gaussian_rng g(2026, i);
    const double scale = i < P * N ? 1.0 : i < P * N + P ? 0.5 : 0.3;
    return scale * g.next();
}

}  // namespace export_fixture
