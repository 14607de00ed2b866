// Cortex-M DSP extension (M4, M7, M33; inherited by Helium on the M55) kernels for 16-bit fixed
// point (q3_12, q15): SMLALD does two 16 x 16 multiplies and adds both products to a 64-bit
// accumulator, exactly. The scalar reference sums the same exact products in int64, and integer
// addition does not depend on order, so these kernels are bit-exact to it (tested). Range: each
// product is at most 2^30 in magnitude, so the int64 sum cannot overflow below 2^33 terms
// (max_dot_length_v of the 16-bit formats), more than a 32-bit index can count. On Thumb-2
// M-profile cores the word-aligned bulk of each dot product runs in the LDM + SMLALD assembly
// loop of dsp_fixed_asm.hpp; the C code below does the rest (tails, misaligned vectors).
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "twolayer/arch/tags.hpp"
#include "twolayer/kernels/common.hpp"
#include "twolayer/kernels/dsp_fixed_asm.hpp"
#include "twolayer/kernels/scalar.hpp"
#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
#endif

namespace twolayer::kernels {

#if defined(__ARM_FEATURE_DSP)
/// True where the implementations below exist (the kernel test asserts it on the DSP presets).
inline constexpr bool has_dsp_fixed16 = true;

namespace detail_dsp_fixed {

// Two int16 lanes in one word (unaligned word loads are fine on Armv7E-M and Armv8-M Mainline).
TWOLAYER_INLINE std::int32_t pair(const std::int16_t* p) {
    std::int32_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// s + a[0:n] . b[0:n] in C: SMLALD on word pairs (unaligned LDR), then the odd element.
inline std::int64_t dot_c(const std::int16_t* TWOLAYER_RESTRICT a, const std::int16_t* TWOLAYER_RESTRICT b,
                          index_t n, std::int64_t s) {
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

// Full unrolling of the assembly loop for static extents up to this many chunks of eight
// (24 bytes of code a chunk), in builds for speed; builds for size (-Os) keep the loop.
#if defined(__OPTIMIZE_SIZE__)
inline constexpr index_t max_unrolled_chunks = 0;
#else
inline constexpr index_t max_unrolled_chunks = 16;
#endif

// a[0:n] . b[0:n] exactly; E is n when the caller's extent is static (else dynamic_extent).
template <index_t E = dynamic_extent>
inline std::int64_t dot(const std::int16_t* a, const std::int16_t* b, index_t n_) {
    index_t n = E != dynamic_extent ? E : n_;  // a constant for static extents (-Os too)
    std::int64_t s = 0;
#if TWOLAYER_DSP_FIXED_ASM
    // The assembly loop's LDM needs both pointers word aligned. int16 data is at 0 or 2 mod 4:
    // if both are at 2, one product first aligns them; if they differ, no shift aligns both and
    // the whole dot stays in C (e.g. every other row of a matrix with an odd number of columns).
    const std::uintptr_t ua = reinterpret_cast<std::uintptr_t>(a), ub = reinterpret_cast<std::uintptr_t>(b);
    if constexpr (E != dynamic_extent && E / 8 >= 1 && E / 8 <= max_unrolled_chunks) {
        if (((ua | ub) & 2) == 0) {  // both aligned (storage is): the straight-line code
            detail_dsp_fixed_asm::dot_chunks8_unrolled<E / 8>(a, b, s);
            return E % 8 != 0 ? dot_c(a, b, E % 8, s) : s;
        }
    }
    if (n >= 8 && ((ua ^ ub) & 2) == 0) {
        if (ua & 2) {
            s = std::int32_t(a[0]) * std::int32_t(b[0]);
            ++a, ++b, --n;
        }
        if (n / 8 > 0) detail_dsp_fixed_asm::dot_chunks8(a, b, n / 8, s);  // advances a and b
        return n % 8 != 0 ? dot_c(a, b, n % 8, s) : s;
    }
#endif
    return dot_c(a, b, n, s);
}

// y_i = s (W x)_i (s = scale * dot_unit): the scalar gemv's arithmetic on the exact sums; K:
// W's static column count. With dot above, the pointer kernels of TWOLAYER_POINTER_KERNELS_Q16.
template <index_t K, class C>
void gemv(const std::int16_t* w, index_t rows, index_t cols, const std::int16_t* x, C* y, C s) {
    for (index_t i = 0; i < rows; ++i) y[i] = C(s * detail::exact_to<C>(dot<K>(w + i * cols, x, cols)));
}

}  // namespace detail_dsp_fixed

TWOLAYER_POINTER_KERNELS_Q16(dsp, detail_dsp_fixed)
#else
inline constexpr bool has_dsp_fixed16 = false;  ///< no SMLALD here: Q15 on dsp is the scalar reference
#endif

}  // namespace twolayer::kernels
