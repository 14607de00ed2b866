// Every optimized kernel against the scalar reference on random data of many sizes (1, sizes
// that are not multiples of the vector width, large ones): within a few ulp times the fan-in for
// floating point. The arch under test is the build's default (the one the library runs on this
// target), plus the xsimd arch on hosts where the default was forced to something else.
// A kernel an arch lacks resolves to scalar and passes trivially: which kernels each arch has is
// in its header.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <type_traits>

#include "test_util.hpp"
#if TWOLAYER_TEST_XSIMD
#include "twolayer/kernels/xsimd.hpp"
#endif

using namespace twolayer;

namespace {

constexpr index_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 257, 1000};
constexpr index_t max_n = 1000;
constexpr index_t max_rows = 9;  // 1..9 rows: groups of four and every remainder

// |fast - ref| <= k eps n sum|a_i b_i|: the standard bound for reordered sums, k covers the FMA.
template <class T>
double bound(double abs_sum, index_t n) { return 4.0 * format_traits<T>::resolution * double(n) * abs_sum + 1e-300; }

template <class T>
struct buffers {
    T a[max_rows * max_n], a2[max_rows * max_n], b[max_n], y1[max_n], y2[max_n], u[max_rows];
};

// One set of buffers per type for all the checks (each fills what it reads): the Cortex-M33
// board has 2 MB of RAM.
template <class T>
buffers<T>& shared_buffers() {
    static buffers<T> m;
    return m;
}

template <class T, class Arch>
int check_dot_gemv(gaussian_rng& g) {
    buffers<T>& m = shared_buffers<T>();
    int bad = 0;
    for (index_t n : sizes) {
        for (index_t i = 0; i < max_rows * n; ++i) m.a[i] = g.gaussian<T>();
        for (index_t i = 0; i < n; ++i) m.b[i] = g.gaussian<T>();
        double abs_sum = 0;
        for (index_t i = 0; i < n; ++i) abs_sum += std::fabs(double(m.a[i]) * double(m.b[i]));
        const T ref = kernels::dot(vec_view<const T>(m.a, n), vec_view<const T>(m.b, n), arch::scalar{});
        const T fast = kernels::dot(vec_view<const T>(m.a, n), vec_view<const T>(m.b, n), Arch{});
        bad += !(std::fabs(double(ref) - double(fast)) <= bound<T>(abs_sum, n));
        for (index_t rows = 1; rows <= max_rows; ++rows) {
            mat_view<const T> W(m.a, rows, n);
            kernels::gemv(W, vec_view<const T>(m.b, n), vec_view<T>(m.y1, rows), T(0.5), arch::scalar{});
            kernels::gemv(W, vec_view<const T>(m.b, n), vec_view<T>(m.y2, rows), T(0.5), Arch{});
            for (index_t k = 0; k < rows; ++k) {
                double s = 0;
                for (index_t i = 0; i < n; ++i) s += std::fabs(double(m.a[k * n + i]) * double(m.b[i]));
                bad += !(std::fabs(double(m.y1[k]) - double(m.y2[k])) <= bound<T>(s, n));
            }
        }
    }
    return bad;
}

// One multiply-add per element: fused or not, at most 2 ulp of the larger term apart.
template <class T>
int count_update_mismatches(const T* ref, const T* fast, const T* before, const T* x, const T* a, T alpha,
                            T decay, index_t rows, index_t n) {
    int bad = 0;
    for (index_t i = 0; i < rows * n; ++i) {
        const double scale = std::fabs(double(decay) * double(before[i])) +
                             std::fabs(double(alpha) * double(a[i / n]) * double(x[i % n])) + 1e-30;
        bad += !(std::fabs(double(ref[i]) - double(fast[i])) <= 2 * format_traits<T>::resolution * scale);
    }
    return bad;
}

template <class T, class Arch>
int check_updates(gaussian_rng& g) {
    buffers<T>& m = shared_buffers<T>();
    static T before[max_rows * max_n];
    int bad = 0;
    for (T decay : {T(1), T(0.9)}) {
        for (index_t n : sizes) {
            const index_t rows = 1 + n % max_rows;
            for (index_t i = 0; i < rows * n; ++i) before[i] = m.a[i] = m.a2[i] = g.gaussian<T>();
            for (index_t i = 0; i < rows; ++i) m.u[i] = g.gaussian<T>();
            for (index_t i = 0; i < n; ++i) m.b[i] = g.gaussian<T>();
            const T alpha(0.3);
            kernels::rank1_update(mat_view<T>(m.a, rows, n), vec_view<const T>(m.u, rows), vec_view<const T>(m.b, n),
                                  alpha, decay, arch::scalar{});
            kernels::rank1_update(mat_view<T>(m.a2, rows, n), vec_view<const T>(m.u, rows), vec_view<const T>(m.b, n),
                                  alpha, decay, Arch{});
            bad += count_update_mismatches(m.a, m.a2, before, m.b, m.u, alpha, decay, rows, n);
        }
    }
    return bad;
}

// The fused update + gemv of the one-pass SGD step: against the scalar reference within the
// bounds above (the update per element, the sums of the new rows), and bit for bit equal to the
// same arch's rank1_update followed by its gemv (the fused SGD step relies on it).
template <class T, class Arch>
int check_update_gemv(gaussian_rng& g) {
    buffers<T>& m = shared_buffers<T>();
    static T before[max_rows * max_n], a3[max_rows * max_n], x2[max_n], y3[max_n];
    int bad = 0;
    for (T decay : {T(1), T(0.9)}) {
        for (index_t n : sizes) {
            for (index_t rows = 1; rows <= max_rows; ++rows) {
                for (index_t i = 0; i < rows * n; ++i) before[i] = m.a[i] = m.a2[i] = a3[i] = g.gaussian<T>();
                for (index_t i = 0; i < rows; ++i) m.u[i] = g.gaussian<T>();
                for (index_t i = 0; i < n; ++i) {
                    m.b[i] = g.gaussian<T>();
                    x2[i] = g.gaussian<T>();
                }
                const T alpha(0.3), scale(0.5);
                const vec_view<const T> u(m.u, rows), x(m.b, n), z(x2, n);
                kernels::rank1_update_gemv(mat_view<T>(m.a, rows, n), u, x, alpha, decay, z, vec_view<T>(m.y1, rows),
                                           scale, arch::scalar{});
                kernels::rank1_update_gemv(mat_view<T>(m.a2, rows, n), u, x, alpha, decay, z,
                                           vec_view<T>(m.y2, rows), scale, Arch{});
                bad += count_update_mismatches(m.a, m.a2, before, m.b, m.u, alpha, decay, rows, n);
                for (index_t k = 0; k < rows; ++k) {
                    double s = 0;
                    // the new rows differ by the update's rounding too (fused or not): the terms of
                    // the update enter the bound with the products
                    for (index_t i = 0; i < n; ++i)
                        s += (std::fabs(double(m.a[k * n + i])) + std::fabs(double(decay) * double(before[k * n + i])) +
                              std::fabs(double(alpha) * double(m.u[k]) * double(m.b[i]))) *
                             std::fabs(double(x2[i]));
                    bad += !(std::fabs(double(m.y1[k]) - double(m.y2[k])) <= bound<T>(s, n));
                }
                // the same arch, separately: the very same bits
                kernels::rank1_update(mat_view<T>(a3, rows, n), u, x, alpha, decay, Arch{});
                kernels::gemv(mat_view<const T>(a3, rows, n), z, vec_view<T>(y3, rows), scale, Arch{});
                bad += std::memcmp(a3, m.a2, rows * n * sizeof(T)) != 0;
                bad += std::memcmp(y3, m.y2, rows * sizeof(T)) != 0;
                // and the scalar reference is the scalar update followed by the scalar gemv
                std::memcpy(a3, before, rows * n * sizeof(T));
                kernels::rank1_update(mat_view<T>(a3, rows, n), u, x, alpha, decay, arch::scalar{});
                kernels::gemv(mat_view<const T>(a3, rows, n), z, vec_view<T>(y3, rows), scale, arch::scalar{});
                bad += std::memcmp(a3, m.a, rows * n * sizeof(T)) != 0;
                bad += std::memcmp(y3, m.y1, rows * sizeof(T)) != 0;
            }
        }
    }
    return bad;
}

// gemv_bias gives the bits of the same arch's gemv followed by the addition of the bias, and
// agrees with the scalar reference like gemv does.
template <class T, class Arch>
int check_gemv_bias(gaussian_rng& g) {
    buffers<T>& m = shared_buffers<T>();
    static T bias[max_rows], y3[max_rows];
    int bad = 0;
    for (index_t n : sizes) {
        for (index_t i = 0; i < max_rows * n; ++i) m.a[i] = g.gaussian<T>();
        for (index_t i = 0; i < n; ++i) m.b[i] = g.gaussian<T>();
        for (index_t k = 0; k < max_rows; ++k) bias[k] = g.gaussian<T>();
        for (index_t rows = 1; rows <= max_rows; ++rows) {
            mat_view<const T> W(m.a, rows, n);
            const vec_view<const T> x(m.b, n), b(bias, rows);
            kernels::gemv_bias(W, x, b, vec_view<T>(m.y1, rows), T(0.25), arch::scalar{});
            kernels::gemv_bias(W, x, b, vec_view<T>(m.y2, rows), T(0.25), Arch{});
            kernels::gemv(W, x, vec_view<T>(y3, rows), T(0.25), Arch{});
            for (index_t k = 0; k < rows; ++k) {
                double s = 0;
                for (index_t i = 0; i < n; ++i) s += std::fabs(double(m.a[k * n + i]) * double(m.b[i])) * 0.25;
                const T own = y3[k] + bias[k];
                bad += std::memcmp(&own, &m.y2[k], sizeof(T)) != 0;
                bad += !(std::fabs(double(m.y1[k]) - double(m.y2[k])) <= bound<T>(s, n) + 2 * format_traits<T>::resolution * std::fabs(double(m.y1[k])));
            }
        }
    }
    return bad;
}

// Sizes in the type: kernels may then take paths decided at compile time (the DSP gemv calls its
// block assembly directly), and the compiler knows the operands' values. The shapes include
// ones where two counts are equal (16 x 64: four blocks of four rows, four chunks of 16 columns),
// which once let GCC give both counts one register in an assembly loop.
template <class T, class Arch, index_t R, index_t C>
int check_static_shape(gaussian_rng& g) {
    static T w[R * C], x[C], b[R], y1[R], y2[R], y3[R];
    for (auto& v : w) v = g.gaussian<T>();
    for (auto& v : x) v = g.gaussian<T>();
    for (auto& v : b) v = g.gaussian<T>();
    const mat_view<const T, R, C> W(w);
    const vec_view<const T, C> xv(x);
    const vec_view<const T, R> bv(b);
    kernels::gemv(W, xv, vec_view<T, R>(y1), T(0.125), arch::scalar{});
    kernels::gemv(W, xv, vec_view<T, R>(y2), T(0.125), Arch{});
    kernels::gemv_bias(W, xv, bv, vec_view<T, R>(y3), T(0.125), Arch{});
    int bad = 0;
    for (index_t k = 0; k < R; ++k) {
        double s = 0;
        for (index_t i = 0; i < C; ++i) s += std::fabs(double(w[k * C + i]) * double(x[i]));
        bad += !(std::fabs(double(y1[k]) - double(y2[k])) <= bound<T>(s, C) * 0.125);
        const T own = y2[k] + b[k];
        bad += std::memcmp(&own, &y3[k], sizeof(T)) != 0;
    }
    return bad;
}

// The same check with every kernel call inlined into one function (flatten) on arrays at fixed
// addresses, as firmware calls them: the compiler then sees the counts as constants.
alignas(16) float g_w[16 * 64], g_x[64], g_b[16], g_y1[16], g_y2[16], g_y3[16];

template <class Arch>
__attribute__((noipa, flatten)) void flat_gemv_16x64() {
    const mat_view<const float, 16, 64> W(g_w);
    const vec_view<const float, 64> x(g_x);
    kernels::gemv(W, x, vec_view<float, 16>(g_y2), 0.125f, Arch{});
    kernels::gemv_bias(W, x, vec_view<const float, 16>(g_b), vec_view<float, 16>(g_y3), 0.125f, Arch{});
}

template <class Arch>
int check_flat_gemv(gaussian_rng& g) {
    for (auto& v : g_w) v = g.gaussian<float>();
    for (auto& v : g_x) v = g.gaussian<float>();
    for (auto& v : g_b) v = g.gaussian<float>();
    kernels::gemv(mat_view<const float>(g_w, 16, 64), vec_view<const float>(g_x, 64), vec_view<float>(g_y1, 16),
                  0.125f, arch::scalar{});
    flat_gemv_16x64<Arch>();
    int bad = 0;
    for (index_t k = 0; k < 16; ++k) {
        double s = 0;
        for (index_t i = 0; i < 64; ++i) s += std::fabs(double(g_w[k * 64 + i]) * double(g_x[i]));
        bad += !(std::fabs(double(g_y1[k]) - double(g_y2[k])) <= bound<float>(s, 64) * 0.125);
        const float own = g_y2[k] + g_b[k];
        bad += std::memcmp(&own, &g_y3[k], sizeof own) != 0;
    }
    return bad;
}

template <class T, class Arch>
int check_static_shapes(gaussian_rng& g) {
    return check_static_shape<T, Arch, 4, 16>(g) + check_static_shape<T, Arch, 8, 32>(g) +
           check_static_shape<T, Arch, 16, 64>(g) + check_static_shape<T, Arch, 4, 64>(g) +
           check_static_shape<T, Arch, 16, 16>(g) + check_static_shape<T, Arch, 12, 48>(g) +
           check_static_shape<T, Arch, 5, 17>(g) + check_static_shape<T, Arch, 3, 64>(g);
}

template <class Arch>
void check_all_kernels() {
    TL_INFO("    arch %s\n", Arch::name);
    gaussian_rng g(41);
    TL_CHECK((check_dot_gemv<float, Arch>(g)) == 0);
    TL_CHECK((check_dot_gemv<double, Arch>(g)) == 0);
    TL_CHECK((check_gemv_bias<float, Arch>(g)) == 0);
    TL_CHECK((check_gemv_bias<double, Arch>(g)) == 0);
    TL_CHECK((check_static_shapes<float, Arch>(g)) == 0);
    TL_CHECK((check_static_shapes<double, Arch>(g)) == 0);
    TL_CHECK((check_flat_gemv<Arch>(g)) == 0);
    TL_CHECK((check_updates<float, Arch>(g)) == 0);
    TL_CHECK((check_updates<double, Arch>(g)) == 0);
    TL_CHECK((check_update_gemv<float, Arch>(g)) == 0);
    TL_CHECK((check_update_gemv<double, Arch>(g)) == 0);
}

template <class Arch>
void check_training() {
    // The same online run on both archs: weights agree to float-rounding accumulation.
    gaussian_rng g(43), g2(43);
    network<float, 33, 4, act::erf> a, b;
    init_network(a.ref(), g);
    init_network(b.ref(), g2);
    online_sgd<float> s1, s2;
    float x[33];
    for (int step = 0; step < 500; ++step) {
        for (auto& xi : x) xi = g.gaussian<float>();
        const vec_view<const float, 33> xv(x);
        TL_REQUIRE(s1.step(a, xv, 0.5f, arch::scalar{}).ok());
        TL_REQUIRE(s2.step(b, xv, 0.5f, Arch{}).ok());
    }
    double worst = 0;
    // Not std::fmax: GCC 12 for AArch64 crashes vectorizing an fmax reduction (internal
    // compiler error in vect_transform_reduction).
    for (index_t i = 0; i < 33 * 4; ++i) {
        const double d = std::fabs(double(a.W().data()[i]) - double(b.W().data()[i]));
        if (d > worst) worst = d;
    }
    TL_INFO("    %s: largest weight difference after 500 steps: %.2e\n", Arch::name, worst);
    TL_CHECK(worst < 1e-4);
}

// The activation map: bit for bit the scalar kernel (tanh on float has lanes on AArch64 NEON and
// xsimd; every other activation and type resolves to the scalar kernel and compares trivially).
// Bits, not values: NaN must come out as the same NaN, -0 as -0.
inline float from_bits(std::uint32_t b) {
    float f;
    std::memcpy(&f, &b, sizeof f);
    return f;
}

constexpr std::uint32_t special_bits[] = {
    0x7fc00000u, 0xffc00000u, 0x7fc12345u, 0xffd0beefu,  // quiet NaNs, both signs, payloads
    0x7f800001u, 0xff812345u,                            // signalling NaNs
    0x7f800000u, 0xff800000u,                            // +-inf
    0x00000000u, 0x80000000u,                            // +-0
    0x41000000u, 0xc1000000u,                            // +-8: x^2 = 64 exactly (rational)
    0x41000001u, 0xc1000001u, 0x41000002u,               // just above 8: x^2 > 64 (+-1)
    0x40ffffffu, 0xc0ffffffu, 0x40fffffeu,               // just below 8: x^2 < 64
    0x00000001u, 0x80000001u, 0x00400000u, 0x807fffffu,  // subnormals
    0x00800000u, 0x80800000u,                            // +-FLT_MIN
    0x1f800000u, 0x9f800000u,                            // +-2^-64: x^2 = 2^-128, subnormal
    0x39800000u, 0xb9800000u,                            // +-2^-12
    0x7149f2cau, 0xf149f2cau,                            // +-1e30: x^2 overflows to inf
    0x7f7fffffu, 0xff7fffffu,                            // +-FLT_MAX
    0x3f800000u, 0xbf800000u, 0x40800000u, 0x407ccccdu,  // 1, -1, 4, 3.95 (the worst ulp)
};
constexpr index_t n_special = sizeof special_bits / sizeof special_bits[0];

template <class T, class Act, class Arch>
int activate_mismatches(const T* x, index_t n) {
    static T g1[1024 + 8], g2[1024 + 8];
    activate(Act{}, vec_view<const T>(x, n), vec_view<T>(g1, n), arch::scalar{});
    activate(Act{}, vec_view<const T>(x, n), vec_view<T>(g2, n), Arch{});
    return std::memcmp(g1, g2, std::size_t(n) * sizeof(T)) != 0;
}

template <class Arch>
int check_activate(gaussian_rng& g) {
    static float xf[1024 + 8];
    static double xd[1024 + 8];
    int bad = 0;
    philox4x32& u = g.uniform();
    // Sizes 1..70 (every remainder of the lanes), starting at offsets 0..3 (unaligned loads),
    // uniform in [-10, 10] with special values dropped in at random places.
    for (index_t n = 1; n <= 70; ++n) {
        for (index_t off = 0; off < 4; ++off) {
            float* x = xf + off;
            for (index_t i = 0; i < n; ++i) x[i] = float(20.0 * u.uniform01() - 10.0);
            for (index_t k = 0; k < 1 + n / 4; ++k) x[u.below(std::uint32_t(n))] = from_bits(special_bits[u.below(std::uint32_t(n_special))]);
            bad += activate_mismatches<float, act::tanh, Arch>(x, n);
            bad += activate_mismatches<float, act::erf, Arch>(x, n);
            bad += activate_mismatches<float, act::sigmoid, Arch>(x, n);
            for (index_t i = 0; i < n; ++i) xd[i] = double(x[i]);
            bad += activate_mismatches<double, act::tanh, Arch>(xd, n);
        }
    }
    // Every special value in every lane position of a block and in the tail.
    for (index_t s = 0; s < n_special; ++s) {
        for (index_t pos = 0; pos < 19; ++pos) {
            for (index_t i = 0; i < 19; ++i) xf[i] = float(i) - 9.3f;
            xf[pos] = from_bits(special_bits[s]);
            bad += activate_mismatches<float, act::tanh, Arch>(xf, 19);
        }
    }
    // A stride through all 2^32 bit patterns (NaNs, infinities, subnormals, both signs): every
    // 997th on Cortex-A and the host, every 65521st on the slower Cortex-M.
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
    constexpr std::uint64_t stride = 65521;
#else
    constexpr std::uint64_t stride = 997;
#endif
    index_t m = 0;
    long blocks = 0;
    for (std::uint64_t b = 0; b <= 0xffffffffu; b += stride) {
        xf[m++] = from_bits(std::uint32_t(b));
        if (m == 1024) bad += activate_mismatches<float, act::tanh, Arch>(xf, m), m = 0, ++blocks;
    }
    if (m != 0) bad += activate_mismatches<float, act::tanh, Arch>(xf, m);
    TL_INFO("    activate (tanh float) %s: sizes 1..70, specials, %ld x 1024 bit patterns (stride %u)\n", Arch::name,
            blocks, unsigned(stride));
    return bad;
}

constexpr bool default_is_scalar = std::is_same<arch::default_arch, arch::scalar>::value;

}  // namespace

TL_TEST(expected_arch) {
#if defined(TWOLAYER_EXPECTED_ARCH)
    TL_INFO("    expected %s, built %s\n", TWOLAYER_EXPECTED_ARCH, arch::default_arch::name);
    TL_CHECK(std::strcmp(TWOLAYER_EXPECTED_ARCH, arch::default_arch::name) == 0);
#else
    TL_SKIP("this build states no expected arch (TWOLAYER_EXPECTED_ARCH)");
#endif
}

TL_TEST(default_arch_kernels_match_scalar) {
    if (default_is_scalar) TL_SKIP("the default arch is scalar: nothing to compare");
    check_all_kernels<arch::default_arch>();
}

// Runs on every preset: where the default arch has no vector activation, it compares the
// scalar kernel with itself.
TL_TEST(activate_on_default_arch_is_bitwise_scalar) {
    gaussian_rng g(53);
    TL_CHECK(check_activate<arch::default_arch>(g) == 0);
#if TWOLAYER_TEST_XSIMD
    using simd_arch = arch::simd<xsimd::default_arch>;
    if (!std::is_same<arch::default_arch, simd_arch>::value) TL_CHECK(check_activate<simd_arch>(g) == 0);
#endif
}

TL_TEST(training_on_default_arch_matches_scalar) {
    if (default_is_scalar) TL_SKIP("the default arch is scalar: nothing to compare");
    check_training<arch::default_arch>();
}

// The fused kernel's scalar reference against the scalar update + gemv, where the default arch
// is scalar (elsewhere check_all_kernels covers it).
TL_TEST(scalar_update_gemv_is_update_then_gemv) {
    gaussian_rng g(47);
    TL_CHECK((check_update_gemv<float, arch::scalar>(g)) == 0);
    TL_CHECK((check_update_gemv<double, arch::scalar>(g)) == 0);
}

TL_TEST(simd_kernels_match_scalar) {
#if TWOLAYER_TEST_XSIMD
    using simd_arch = arch::simd<xsimd::default_arch>;
    if (std::is_same<arch::default_arch, simd_arch>::value) TL_SKIP("the default arch, tested above");
    check_all_kernels<simd_arch>();
    check_training<simd_arch>();
#else
    TL_SKIP("no xsimd backend in this build");
#endif
}
