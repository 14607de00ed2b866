// Every optimized kernel against the scalar reference on random data of many sizes (1, sizes
// that are not multiples of the vector width, large ones): within a few ulp times the fan-in for
// floating point.
#include <cmath>

#include "test_util.hpp"
#if TWOLAYER_TEST_XSIMD
#include "twolayer/kernels/xsimd.hpp"
#endif

using namespace twolayer;

namespace {

#if TWOLAYER_TEST_XSIMD
using simd_arch = arch::simd<xsimd::default_arch>;

constexpr index_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 257, 1000};

// |fast - ref| <= k eps n sum|a_i b_i|: the standard bound for reordered sums, k covers the FMA.
template <class T>
double bound(double abs_sum, index_t n) { return 4.0 * format_traits<T>::resolution * double(n) * abs_sum + 1e-300; }

template <class T>
void check_dot_gemv() {
    gaussian_rng g(41);
    static T a[1000 * 3], b[1000], y1[3], y2[3];
    int bad = 0;
    for (index_t n : sizes) {
        for (index_t i = 0; i < 3 * n; ++i) a[i] = g.gaussian<T>();
        for (index_t i = 0; i < n; ++i) b[i] = g.gaussian<T>();
        double abs_sum = 0;
        for (index_t i = 0; i < n; ++i) abs_sum += std::fabs(double(a[i]) * double(b[i]));
        const T ref = kernels::dot(vec_view<const T>(a, n), vec_view<const T>(b, n), arch::scalar{});
        const T fast = kernels::dot(vec_view<const T>(a, n), vec_view<const T>(b, n), simd_arch{});
        bad += std::fabs(double(ref) - double(fast)) > bound<T>(abs_sum, n);
        mat_view<const T> W(a, 3, n);
        kernels::gemv(W, vec_view<const T>(b, n), vec_view<T>(y1, 3), T(0.5), arch::scalar{});
        kernels::gemv(W, vec_view<const T>(b, n), vec_view<T>(y2, 3), T(0.5), simd_arch{});
        for (int k = 0; k < 3; ++k) {
            double s = 0;
            for (index_t i = 0; i < n; ++i) s += std::fabs(double(a[k * n + i]) * double(b[i]));
            bad += std::fabs(double(y1[k]) - double(y2[k])) > bound<T>(s, n);
        }
    }
    TL_CHECK(bad == 0);
}

template <class T>
void check_rank1() {
    gaussian_rng g(42);
    static T w1[1000 * 3], w2[1000 * 3], a[3], x[1000];
    int bad = 0;
    for (T decay : {T(1), T(0.9)}) {
        for (index_t n : sizes) {
            for (index_t i = 0; i < 3 * n; ++i) w1[i] = w2[i] = g.gaussian<T>();
            for (auto& ai : a) ai = g.gaussian<T>();
            for (index_t i = 0; i < n; ++i) x[i] = g.gaussian<T>();
            kernels::rank1_update(mat_view<T>(w1, 3, n), vec_view<const T>(a, 3), vec_view<const T>(x, n), T(0.3), decay, arch::scalar{});
            kernels::rank1_update(mat_view<T>(w2, 3, n), vec_view<const T>(a, 3), vec_view<const T>(x, n), T(0.3), decay, simd_arch{});
            // One multiply-add per element: fused or not, at most 2 ulp of the larger term apart.
            for (index_t i = 0; i < 3 * n; ++i) {
                const double scale = std::fabs(double(w1[i])) + std::fabs(double(x[i % n]) * double(a[i / n])) + 1e-30;
                bad += std::fabs(double(w1[i]) - double(w2[i])) > 2 * format_traits<T>::resolution * scale;
            }
        }
    }
    TL_CHECK(bad == 0);
}
#endif

}  // namespace

TL_TEST(simd_dot_and_gemv_match_scalar) {
#if TWOLAYER_TEST_XSIMD
    TL_INFO("    arch %s\n", simd_arch::name);
    check_dot_gemv<float>();
    check_dot_gemv<double>();
#else
    TL_SKIP("no xsimd backend in this build");
#endif
}

TL_TEST(simd_rank1_update_matches_scalar) {
#if TWOLAYER_TEST_XSIMD
    check_rank1<float>();
    check_rank1<double>();
#else
    TL_SKIP("no xsimd backend in this build");
#endif
}

TL_TEST(training_on_simd_arch_matches_scalar) {
#if TWOLAYER_TEST_XSIMD
    // The same online run on both archs: weights agree to float-rounding accumulation.
    gaussian_rng g(43), g2(43);
    network<float, 33, 4, act::erf> a, b;
    init_network(a.ref(), g);
    init_network(b.ref(), g2);
    online_sgd<float> s1, s2;
    float x[33];
    for (int step = 0; step < 500; ++step) {
        for (auto& xi : x) xi = g.gaussian<float>();
        const vec_view<const float, 33> xv(x, 33);
        TL_REQUIRE(s1.step(a, xv, 0.5f, arch::scalar{}).ok());
        TL_REQUIRE(s2.step(b, xv, 0.5f, simd_arch{}).ok());
    }
    double worst = 0;
    for (index_t i = 0; i < 33 * 4; ++i) worst = std::fmax(worst, std::fabs(double(a.W().data()[i]) - double(b.W().data()[i])));
    TL_INFO("    largest weight difference after 500 steps: %.2e\n", worst);
    TL_CHECK(worst < 1e-4);
#else
    TL_SKIP("no xsimd backend in this build");
#endif
}
