// Fixed-point kernels of the preset's default arch against the scalar reference: bit-exact (the
// sums are exact integers, so any order gives the same bits), on random Q3.12 data of many
// sizes; the DSP presets must have their SMLALD kernels (a silent fallback fails). The Cortex-M
// assembly loop (dsp_fixed_asm.hpp) is reached through dynamic extents of any length and through
// static ones (fully unrolled), from word-aligned and misaligned starts, on extreme values too.
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <utility>

#include "test_util.hpp"
#include "twolayer/kernels/dsp_fixed.hpp"  // has_dsp_fixed16 on every target
#include "twolayer/kernels/helium.hpp"     // has_helium_fixed16 on every target

using namespace twolayer;

namespace {

constexpr index_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 257, 1000};

// Fills a[0:n] and b[0:n] for pattern p: 0 random, 1 all -32768 (the largest products, sums past
// 32 bits), 2 a = -32768 and b = 32767 (the most negative sums), 3 random with extremes mixed in
// (carries between the accumulator halves in both directions).
void fill(q3_12* a, q3_12* b, index_t n, int p, gaussian_rng& g) {
    const q3_12 lo = q3_12::from_raw(q3_12::raw_min), hi = q3_12::from_raw(q3_12::raw_max);
    for (index_t i = 0; i < n; ++i) {
        const double u = g.next(), v = g.next();
        switch (p) {
            case 0:
                a[i] = q3_12(2.0 * u);
                b[i] = q3_12(2.0 * v);
                break;
            case 1: a[i] = b[i] = lo; break;
            case 2:
                a[i] = lo;
                b[i] = hi;
                break;
            default:
                a[i] = u > 0.5 ? lo : u < -0.5 ? hi : q3_12(2.0 * u);
                b[i] = v > 0.3 ? lo : v < -0.3 ? hi : q3_12(2.0 * v);
        }
    }
}

// Word-aligned buffers; the tests start vectors at element 0 (aligned) or 1 (2 mod 4).
alignas(8) q3_12 g_a[4 * 1024 + 2];
alignas(8) q3_12 g_b[1024 + 2];

template <class Arch>
std::int64_t dot_dyn(index_t oa, index_t ob, index_t n) {
    return kernels::dot(vec_view<const q3_12>(g_a + oa, n),
                        vec_view<const q3_12>(g_b + ob, n), Arch{});
}

template <class Arch, index_t N>
std::int64_t dot_static(index_t oa, index_t ob) {
    return kernels::dot(vec_view<const q3_12, N>(g_a + oa),
                        vec_view<const q3_12, N>(g_b + ob), Arch{});
}

// y[0:R] for the R x N matrix at g_a + oa (rows one after another) times the vector at g_b + ob.
template <class Arch, index_t R, index_t N>
void gemv_static(index_t oa, index_t ob, float* y) {
    kernels::gemv(mat_view<const q3_12, R, N>(g_a + oa),
                  vec_view<const q3_12, N>(g_b + ob), vec_view<float, R>(y),
                  0.125f, Arch{});
}

// Mismatches of the default arch against scalar for one static N, all patterns and offsets.
template <index_t N>
int static_mismatches(gaussian_rng& g) {
    using arch_t = arch::default_arch;
    constexpr index_t R = 3;
    int bad = 0;
    for (int p = 0; p < 4; ++p) {
        for (index_t oa : {0, 1})
            for (index_t ob : {0, 1}) {
                fill(g_a + oa, g_b + ob, N, p, g);
                for (index_t i = N; i < R * N; ++i) g_a[oa + i] = g_a[oa + i % N];
                if (p == 0)  // distinct rows
                    for (index_t i = N; i < R * N; ++i) g_a[oa + i] = q3_12(2.0 * g.next());
                bad += dot_static<arch::scalar, N>(oa, ob) != dot_static<arch_t, N>(oa, ob);
                float y1[R], y2[R];
                gemv_static<arch::scalar, R, N>(oa, ob, y1);
                gemv_static<arch_t, R, N>(oa, ob, y2);
                bad += std::memcmp(y1, y2, sizeof y1) != 0;
            }
    }
    return bad;
}

template <index_t... Ns>
int all_static_mismatches(gaussian_rng& g, std::integer_sequence<index_t, Ns...>) {
    int bad = 0;
    for (int b : {static_mismatches<Ns>(g)...}) bad += b;
    return bad;
}

bool expects_helium() {
#if defined(TWOLAYER_EXPECTED_ARCH)
    return std::strcmp(TWOLAYER_EXPECTED_ARCH, "helium") == 0;
#else
    return false;
#endif
}

bool expects_dsp() {
#if defined(TWOLAYER_EXPECTED_ARCH)
    return std::strcmp(TWOLAYER_EXPECTED_ARCH, "dsp") == 0 || std::strcmp(TWOLAYER_EXPECTED_ARCH, "helium") == 0;
#else
    return false;
#endif
}

}  // namespace

TL_TEST(dsp_presets_have_the_q15_kernels) {
    if (!expects_dsp()) TL_SKIP("not a Cortex-M DSP preset");
    TL_CHECK(kernels::has_dsp_fixed16);
}

TL_TEST(helium_preset_has_the_mve_q15_kernels) {
    if (!expects_helium()) TL_SKIP("not a Helium preset");
    TL_CHECK(kernels::has_helium_fixed16);
}

TL_TEST(fixed_point_dot_and_gemv_bit_exact_to_scalar) {
    using arch_t = arch::default_arch;
    gaussian_rng g(61);
    static q3_12 a[3 * 1000], b[1000];
    static float y1[3], y2[3];
    int bad = 0;
    for (index_t n : sizes) {
        for (index_t i = 0; i < 3 * n; ++i) a[i] = q3_12(2.0 * g.next());
        for (index_t i = 0; i < n; ++i) b[i] = q3_12(2.0 * g.next());
        // Extremes too: the largest products must not overflow any accumulator.
        a[0] = q3_12::from_raw(q3_12::raw_min);
        b[0] = q3_12::from_raw(q3_12::raw_min);
        const std::int64_t ref = kernels::dot(vec_view<const q3_12>(a, n), vec_view<const q3_12>(b, n), arch::scalar{});
        const std::int64_t fast = kernels::dot(vec_view<const q3_12>(a, n), vec_view<const q3_12>(b, n), arch_t{});
        bad += ref != fast;
        const mat_view<const q3_12> W(a, 3, n);
        kernels::gemv(W, vec_view<const q3_12>(b, n), vec_view<float>(y1, 3), 0.125f, arch::scalar{});
        kernels::gemv(W, vec_view<const q3_12>(b, n), vec_view<float>(y2, 3), 0.125f, arch_t{});
        bad += std::memcmp(y1, y2, sizeof y1) != 0;
        // Sums beyond 32 bits, of both signs, once n >= 2 (rows: min * min, then max * min twice).
        for (index_t i = 0; i < n; ++i) {
            a[i] = b[i] = q3_12::from_raw(q3_12::raw_min);
            a[n + i] = a[2 * n + i] = q3_12::from_raw(q3_12::raw_max);
        }
        kernels::gemv(W, vec_view<const q3_12>(b, n), vec_view<float>(y1, 3), 0.125f, arch::scalar{});
        kernels::gemv(W, vec_view<const q3_12>(b, n), vec_view<float>(y2, 3), 0.125f, arch_t{});
        bad += std::memcmp(y1, y2, sizeof y1) != 0;
        bad += kernels::dot(vec_view<const q3_12>(a, n), vec_view<const q3_12>(b, n), arch::scalar{}) !=
               kernels::dot(vec_view<const q3_12>(a, n), vec_view<const q3_12>(b, n), arch_t{});
    }
    TL_INFO("    arch %s: %d mismatches\n", arch_t::name, bad);
    TL_CHECK(bad == 0);
}

TL_TEST(fixed_point_dot_every_length_offset_and_extreme_bit_exact) {
    using arch_t = arch::default_arch;
    gaussian_rng g(62);
    int bad = 0;
    for (index_t n = 1; n <= 300; n += n < 72 ? 1 : 37)
        for (int p = 0; p < 4; ++p)
            for (index_t oa : {0, 1})
                for (index_t ob : {0, 1}) {
                    fill(g_a + oa, g_b + ob, n, p, g);
                    bad += dot_dyn<arch::scalar>(oa, ob, n) != dot_dyn<arch_t>(oa, ob, n);
                }
    // Long all -32768 sums: 1024 products of 2^30 (2^40).
    fill(g_a, g_b, 1024, 1, g);
    bad += dot_dyn<arch::scalar>(0, 0, 1024) != dot_dyn<arch_t>(0, 0, 1024);
    bad += dot_dyn<arch::scalar>(0, 0, 1024) != (std::int64_t(1) << 40);
    TL_INFO("    arch %s: %d mismatches\n", arch_t::name, bad);
    TL_CHECK(bad == 0);
}

TL_TEST(fixed_point_static_extents_dot_and_gemv_bit_exact) {
    // Static extents take the fully unrolled assembly when word aligned (up to 16 chunks of 8):
    // lengths around chunk boundaries, at and past that limit, with misaligned starts and rows
    // of odd length (every other row misaligned).
    using arch_t = arch::default_arch;
    gaussian_rng g(63);
    const int bad = all_static_mismatches(
        g, std::integer_sequence<index_t, 1, 7, 8, 9, 15, 16, 17, 23, 24, 31, 33, 40, 63, 64, 65, 127, 128, 129, 135,
                                 136, 137, 300>{});
    TL_INFO("    arch %s: %d mismatches\n", arch_t::name, bad);
    TL_CHECK(bad == 0);
}
