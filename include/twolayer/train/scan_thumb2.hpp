// The guard's scan of a float sample (train/guard.hpp) on Thumb-2 cores (Cortex-M3 and up): the
// largest magnitude's bit pattern, by integer compares. One LDM brings four elements and each is
// compared against the doubled pattern (the shift drops the sign for free), then kept by a
// conditional shift-move: the same result as the C loop (load, clear the sign, compare,
// conditional move per element) in fewer instructions (counts: docs/BENCHMARKS.md).
#pragma once
#include <cstdint>

#include "twolayer/core/config.hpp"

#if defined(__thumb2__) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define TWOLAYER_SCAN_THUMB2 1

namespace twolayer::guard::detail {

// max over the first 8 * chunks elements of (bits << 1), with m the running maximum (chunks >= 1);
// advances x past them.
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

}  // namespace twolayer::guard::detail
#endif
