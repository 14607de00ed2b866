// The block Gaussian sampler (teacher/gaussian_block.hpp): its samples against Box-Muller computed
// in double with <cmath> from the same Philox words, moments, a Kolmogorov-Smirnov test, the
// stream's independence of how fill() cuts it, and digests recorded on the host that every target
// must reproduce bit for bit.
#include <cmath>
#include <cstring>

#include "test_util.hpp"
#include "twolayer/teacher/gaussian_block.hpp"

using namespace twolayer;

namespace {

constexpr double two_pi = 6.283185307179586476925;

// Sample i of the stream by the formulas in the header's comment, in double with libm.
template <class T>
void reference_block(std::uint64_t seed, std::uint64_t stream, std::uint64_t j, double* z) {
    const std::uint32_t ctr[4] = {std::uint32_t(j), std::uint32_t(j >> 32), std::uint32_t(stream),
                                  std::uint32_t(stream >> 32)};
    std::uint32_t w[4];
    philox4x32::block(ctr, std::uint32_t(seed), std::uint32_t(seed >> 32), w);
    if (std::is_same<T, float>::value) {
        for (int h = 0; h < 2; ++h) {
            const double r = std::sqrt(-2.0 * std::log(double((w[h] >> 8) + 1) / 16777216.0));
            const double t = two_pi * double(w[h + 2] >> 8) / 16777216.0;
            z[2 * h] = r * std::cos(t);
            z[2 * h + 1] = r * std::sin(t);
        }
    } else {
        const std::uint64_t a = (std::uint64_t(w[0]) << 32) | w[1], b = (std::uint64_t(w[2]) << 32) | w[3];
        const double r = std::sqrt(-2.0 * std::log(double((a >> 11) + 1) / 9007199254740992.0));
        const double t = two_pi * double(b >> 11) / 9007199254740992.0;
        z[0] = r * std::cos(t);
        z[1] = r * std::sin(t);
    }
}

// Largest |z - z_ref| / max(1, |z_ref|) over the first `blocks` blocks.
template <class T>
double worst_error(std::uint64_t seed, std::uint64_t stream, int blocks) {
    constexpr index_t pb = gaussian_block<T>::per_block;
    gaussian_block<T> g(seed, stream);
    double worst = 0;
    for (int j = 0; j < blocks; ++j) {
        T z[pb];
        double ref[pb];
        g.fill(z, pb);
        reference_block<T>(seed, stream, std::uint64_t(j), ref);
        for (index_t k = 0; k < pb; ++k) {
            const double e = std::fabs(double(z[k]) - ref[k]) / std::fmax(1.0, std::fabs(ref[k]));
            if (!(e <= worst)) worst = e;  // NaN ends up as the worst
        }
    }
    return worst;
}

// FNV-1a over the bit patterns, byte order fixed.
template <class T>
std::uint64_t digest(std::uint64_t seed, std::uint64_t stream, int count) {
    static T z[10000];
    gaussian_block<T> g(seed, stream);
    g.fill(z, index_t(count));
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < count; ++i) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &z[i], sizeof(T));
        for (unsigned b = 0; b < sizeof(T); ++b) {
            h ^= (bits >> (8 * b)) & 0xffu;
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

void check_digest(const char* what, std::uint64_t got, std::uint64_t want) {
    TL_INFO("    %s: digest %08x%08x\n", what, unsigned(got >> 32), unsigned(got));
    if (got != want) tl_test::record_failure(__FILE__, __LINE__, what);
}

template <class T>
void check_moments(std::uint64_t seed) {
    gaussian_block<T> g(seed, 5);
    static T z[1000];
    const int n = 100000;
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (int c = 0; c < n / 1000; ++c) {
        g.fill(z, 1000);
        for (const T v : z) {
            const double x = v;
            m1 += x; m2 += x * x; m3 += x * x * x; m4 += x * x * x * x;
        }
    }
    m1 /= n; m2 /= n; m3 /= n; m4 /= n;
    // Standard errors: sqrt(1/n), sqrt(2/n), sqrt(15/n), sqrt(96/n); 5 sigma.
    TL_CHECK_NEAR(m1, 0.0, 5 * std::sqrt(1.0 / n));
    TL_CHECK_NEAR(m2, 1.0, 5 * std::sqrt(2.0 / n));
    TL_CHECK_NEAR(m3, 0.0, 5 * std::sqrt(15.0 / n));
    TL_CHECK_NEAR(m4, 3.0, 5 * std::sqrt(96.0 / n));
}

template <class T>
double ks_statistic(std::uint64_t seed) {
    // sqrt(n) D_n over 4000 samples; P(sqrt(n) D_n > 1.95) ~ 0.001.
    constexpr int n = 4000;
    static T t[n];
    static double z[n];
    gaussian_block<T> g(seed, 3);
    g.fill(t, n);
    for (int i = 0; i < n; ++i) z[i] = t[i];
    return tl_test::ks_normal_statistic(z, n);
}

template <class T>
bool same_when_cut(std::uint64_t seed) {
    constexpr int n = 777;
    static T whole[n], parts[n];
    gaussian_block<T> a(seed, 9), b(seed, 9);
    a.fill(whole, n);
    int at = 0;
    for (int len = 1; at < n; len = len * 3 % 67 + 1) {
        const int k = len < n - at ? len : n - at;
        b.fill(parts + at, index_t(k));
        at += k;
    }
    return std::memcmp(whole, parts, sizeof whole) == 0;
}

}  // namespace

TL_TEST(block_float_matches_box_muller_in_double) {
    // Float rounding of |z| <= 5.8 through log, sqrt, sin/cos: a few float ulp of max(1, |z|).
    const double w = worst_error<float>(11, 2, 4096);
    TL_INFO("    worst |z - z_ref| / max(1, |z_ref|): %.2e (float eps 1.19e-07)\n", w);
    TL_CHECK(w < 8 * 1.1920929e-7);
}

TL_TEST(block_double_matches_box_muller_in_double) {
    // Here the reference is the less accurate side: it rounds t = 2 pi k 2^-53 (up to 4.4e-16
    // absolute for t near 2 pi) before cos and sin, and r <= 8.6 scales that, while the sampler
    // reduces the angle exactly in integers. Hence 16 ulp.
    const double w = worst_error<double>(11, 2, 4096);
    TL_INFO("    worst |z - z_ref| / max(1, |z_ref|): %.2e (double eps 2.22e-16)\n", w);
    TL_CHECK(w < 16 * 2.220446e-16);
}

TL_TEST(block_moments) {
    check_moments<float>(21);
    check_moments<double>(22);
}

TL_TEST(block_passes_kolmogorov_smirnov) {
    const double kf = ks_statistic<float>(77), kd = ks_statistic<double>(78);
    TL_INFO("    sqrt(n) D_n = %.3f (float), %.3f (double)\n", kf, kd);
    TL_CHECK(kf < 1.95);
    TL_CHECK(kd < 1.95);
}

TL_TEST(block_stream_independent_of_fill_sizes) {
    TL_CHECK(same_when_cut<float>(5));
    TL_CHECK(same_when_cut<double>(5));
}

TL_TEST(block_single_draws_are_the_same_stream) {
    // gaussian() (the interface init_network uses) hands out the stream fill() gives.
    static float whole[37], one[37];
    gaussian_block<float> a(8, 4), b(8, 4);
    a.fill(whole, 37);
    for (float& v : one) v = b.gaussian();
    TL_CHECK(std::memcmp(whole, one, sizeof whole) == 0);
    network<float, 8, 3, act::tanh> net;
    gaussian_block<float> c(8, 4);
    init_network(net, c);
    TL_CHECK(std::memcmp(net.W().data(), whole, sizeof(float) * 24) == 0);
}

TL_TEST(block_streams_differ) {
    static float a[64], b[64], c[64];
    gaussian_block<float> ga(1, 0), gb(1, 1), gc(2, 0);
    ga.fill(a, 64); gb.fill(b, 64); gc.fill(c, 64);
    TL_CHECK(std::memcmp(a, b, sizeof a) != 0);
    TL_CHECK(std::memcmp(a, c, sizeof a) != 0);
}

TL_TEST(block_digests) {
    check_digest("float seed 1 stream 0, 10^4 samples", digest<float>(1, 0, 10000), 0xa8aec0a0e2625e85ull);
    check_digest("double seed 1 stream 0, 10^4 samples", digest<double>(1, 0, 10000), 0xfbc7bc999b67d8b9ull);
}
