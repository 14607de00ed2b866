// Fixed-point kernels of the preset's default arch against the scalar reference: bit-exact (the
// sums are exact integers, so any order gives the same bits), on random Q3.12 data of many
// sizes; the DSP presets must have their SMLALD kernels (a silent fallback fails).
#include <cstring>

#include "test_util.hpp"
#include "twolayer/kernels/dsp_fixed.hpp"  // has_dsp_fixed16 on every target
#include "twolayer/kernels/helium.hpp"     // has_helium_fixed16 on every target

using namespace twolayer;

namespace {

constexpr index_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 257, 1000};

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
