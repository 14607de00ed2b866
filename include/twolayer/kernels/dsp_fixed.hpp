// Cortex-M DSP extension (M4, M7, M33; inherited by Helium on the M55) kernels for 16-bit fixed
// point (q3_12, q15): SMLALD does two 16 x 16 multiplies and adds both products to a 64-bit
// accumulator, exactly. The scalar reference sums the same exact products in int64, and integer
// addition does not depend on order, so these kernels are bit-exact to it (tested).
#pragma once
#include <cstdint>
#include <cstring>

#include "twolayer/arch/tags.hpp"
#include "twolayer/kernels/scalar.hpp"
#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
#endif

namespace twolayer::kernels {

#if defined(__ARM_FEATURE_DSP)
// True where the overloads below exist: the kernel test asserts it on the DSP presets.
inline constexpr bool has_dsp_fixed16 = true;

namespace detail_dsp_fixed {

// Two int16 lanes in one word (unaligned word loads are fine on Armv7E-M and Armv8-M Mainline).
TWOLAYER_INLINE std::int32_t pair(const std::int16_t* p) {
    std::int32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

inline std::int64_t dot(const std::int16_t* TWOLAYER_RESTRICT a, const std::int16_t* TWOLAYER_RESTRICT b,
                        index_t n) {
    std::int64_t s = 0;
    index_t i = 0;
    for (; i + 8 <= n; i += 8) {
        s = __smlald(pair(a + i), pair(b + i), s);
        s = __smlald(pair(a + i + 2), pair(b + i + 2), s);
        s = __smlald(pair(a + i + 4), pair(b + i + 4), s);
        s = __smlald(pair(a + i + 6), pair(b + i + 6), s);
    }
    // Counted down: GCC 12 warns falsely on `for (; i < n; ++i)` here when n is a small constant.
    for (index_t r = n - i; r > 0; --r, ++i) s += std::int32_t(a[i]) * std::int32_t(b[i]);
    return s;
}

template <class Q>
const std::int16_t* raw(const Q* q) {
    static_assert(sizeof(Q) == sizeof(std::int16_t), "a 16-bit fixed-point value is its raw word");
    return reinterpret_cast<const std::int16_t*>(q);
}

}  // namespace detail_dsp_fixed

template <int Frac, index_t E1, index_t E2>
std::int64_t dot(vec_view<const fixed<std::int16_t, std::int32_t, Frac>, E1> a,
                 vec_view<const fixed<std::int16_t, std::int32_t, Frac>, E2> b, dsp) {
    return detail_dsp_fixed::dot(detail_dsp_fixed::raw(a.data()), detail_dsp_fixed::raw(b.data()), a.size());
}

// y_i = scale * dot_unit * (W x)_i, the scalar gemv's arithmetic on the exact sums.
template <int Frac, class C, index_t R, index_t K, index_t EX, index_t EY>
void gemv(mat_view<const fixed<std::int16_t, std::int32_t, Frac>, R, K> W,
          vec_view<const fixed<std::int16_t, std::int32_t, Frac>, EX> x, vec_view<C, EY> y, C scale, dsp) {
    using Q = fixed<std::int16_t, std::int32_t, Frac>;
    const C s = C(scale * C(format_traits<Q>::dot_unit));
    const std::int16_t* xr = detail_dsp_fixed::raw(x.data());
    for (index_t i = 0; i < W.rows(); ++i)
        y[i] = C(s * C(detail_dsp_fixed::dot(detail_dsp_fixed::raw(W.row(i).data()), xr, W.cols())));
}
#else
inline constexpr bool has_dsp_fixed16 = false;
#endif

}  // namespace twolayer::kernels
