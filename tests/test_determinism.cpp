// Bit-for-bit reproducibility on every target. Digests recorded on the host (x86-64) are held on
// every preset: the Gaussian stream (float and double) and the weights after 10^4 online SGD
// steps on the scalar double path. The training run uses ReLU, which needs no libm: erf, tanh and
// exp may differ in the last bit between C libraries (glibc, newlib), and would make the digest a
// test of the C library instead of this library.
#include "test_util.hpp"

using namespace twolayer;

namespace {

// FNV-1a over the values' bit patterns, byte order fixed (independent of the target's endianness).
struct fnv1a {
    std::uint64_t h = 0xcbf29ce484222325ull;
    void add(std::uint64_t bits, int bytes) {
        for (int i = 0; i < bytes; ++i) {
            h ^= (bits >> (8 * i)) & 0xffu;
            h *= 0x100000001b3ull;
        }
    }
    void add(double d) { std::uint64_t b; std::memcpy(&b, &d, 8); add(b, 8); }
    void add(float f) { std::uint32_t b; std::memcpy(&b, &f, 4); add(b, 4); }
};

template <class T>
std::uint64_t gaussian_digest(std::uint64_t seed, std::uint64_t stream, int count) {
    gaussian_rng g(seed, stream);
    fnv1a h;
    for (int i = 0; i < count; ++i) h.add(g.gaussian<T>());
    return h.h;
}

std::uint64_t training_digest(std::uint64_t seed) {
    constexpr index_t N = 32;
    tl_test::teacher_student<double, N, 4, 2, act::relu> f(seed);
    train_config<double> c;
    c.lr_w = 0.5;
    c.lr_v = 0.5;
    online_sgd<double> sgd(c);
    for (int step = 0; step < 10000; ++step) {
        const auto& x = f.draw();
        if (!sgd.step(f.student, x, f.teacher.forward(x, arch::scalar{}), arch::scalar{})) return 0;
    }
    fnv1a h;
    for (index_t i = 0; i < N * 4; ++i) h.add(f.student.W().data()[i]);
    for (index_t k = 0; k < 4; ++k) h.add(f.student.v()[k]);
    return h.h;
}

void check_digest(const char* what, std::uint64_t got, std::uint64_t want) {
    if (got != want) {
        TL_INFO("    %s: digest %08x%08x, recorded %08x%08x\n", what, unsigned(got >> 32), unsigned(got),
                unsigned(want >> 32), unsigned(want));
        tl_test::record_failure(__FILE__, __LINE__, what);
    }
}

}  // namespace

TL_TEST(gaussian_stream_digests) {
    check_digest("double seed 1 stream 0", gaussian_digest<double>(1, 0, 100000), 0xef6167883d77233cull);
    check_digest("double seed 42 stream 7", gaussian_digest<double>(42, 7, 100000), 0x152c1a1189269c6full);
    check_digest("float seed 1 stream 0", gaussian_digest<float>(1, 0, 100000), 0xde0a9bb1d6038bf4ull);
    check_digest("float seed 2024 stream 3", gaussian_digest<float>(2024, 3, 100000), 0x9a90109cbc1135f9ull);
}

TL_TEST(same_seed_same_weights) {
    const std::uint64_t a = training_digest(5), b = training_digest(5);
    TL_CHECK(a != 0 && a == b);
    TL_CHECK(training_digest(6) != a);
}

TL_TEST(sgd_weights_digest) { check_digest("weights after 10^4 SGD steps, seed 5", training_digest(5), 0x596d5d8f14b121e1ull); }
