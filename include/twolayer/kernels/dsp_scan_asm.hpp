// The largest magnitude of a float vector on Thumb-2 M-profile cores (Cortex-M3 and up), the bulk
// of kernels::absmax on dsp: the bit pattern's maximum by integer compares. Compiled C spends
// seven instructions per element (load, clear the sign, compare, conditional move, loop); here
// one LDM brings four elements and each costs three: compare against the doubled pattern (the
// shift drops the sign for free), then a conditional shift-move. About 3.5 instructions per
// element (docs/BENCHMARKS.md); the same result as the scalar reference.
//
// Available on Thumb-2 M-profile cores: TWOLAYER_DSP_SCAN_ASM. Elsewhere this header is empty.
#pragma once
#include <cstdint>

#include "twolayer/core/config.hpp"

#if defined(__thumb2__) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define TWOLAYER_DSP_SCAN_ASM 1

namespace twolayer::kernels::detail_dsp_scan_asm {

/// max(m, the largest (bits << 1)) over the first 8 * chunks elements of x, chunks >= 1; x is
/// left after them. x must be word aligned (LDM).
inline std::uint32_t max_doubled_bits_chunks8(const float*& x, index_t chunks, std::uint32_t m) {
#define TWOLAYER_MAX_STEP(reg) "cmp %[m], " reg ", lsl #1\n\tit lo\n\tlsllo %[m], " reg ", #1\n\t"
    __asm__ volatile(
        "1:\n\t"
        "ldmia %[p]!, {r2, r3, r4, r5}\n\t"
        TWOLAYER_MAX_STEP("r2") TWOLAYER_MAX_STEP("r3") TWOLAYER_MAX_STEP("r4") TWOLAYER_MAX_STEP("r5")
        "ldmia %[p]!, {r2, r3, r4, r5}\n\t"
        TWOLAYER_MAX_STEP("r2") TWOLAYER_MAX_STEP("r3") TWOLAYER_MAX_STEP("r4") TWOLAYER_MAX_STEP("r5")
        "subs %[n], %[n], #1\n\t"
        "bne 1b\n\t"
        : [p] "+r"(x), [n] "+r"(chunks), [m] "+r"(m)
        :
        : "r2", "r3", "r4", "r5", "memory", "cc");
#undef TWOLAYER_MAX_STEP
    return m;
}

}  // namespace twolayer::kernels::detail_dsp_scan_asm
#endif
