// Cortex-M Q15 inner loop in assembly: a dot product of int16 vectors summed exactly in 64 bits
// with SMLALD (two 16 x 16 products added to a 64-bit accumulator held in two registers).
// Compiled code (dsp_fixed.hpp's C path) loads each word with its own LDR and moves the
// accumulator between register pairs; here one LDM brings four words (eight values) of each
// vector, so a chunk of eight multiply-accumulates costs six instructions (2 LDM + 4 SMLALD) and
// the loop, unrolled by two chunks, adds two per sixteen: about 0.875 counted instructions per
// MAC in the loop. Integer sums do not depend on order, so the result is bit-exact to the scalar
// reference (the exact int64 sum of the int32 products).
//
// LDM needs word-aligned addresses (it faults otherwise, whatever CCR.UNALIGN_TRP says): the
// caller only comes here with both pointers word aligned, and finishes the n % 8 tail in C.
//
// Available on Thumb-2 M-profile cores with the DSP extension (Cortex-M4, M7, M33, M55):
// TWOLAYER_DSP_FIXED_ASM.
#pragma once
#include <cstdint>

#include "twolayer/core/config.hpp"

#if defined(__thumb2__) && defined(__ARM_FEATURE_DSP) && defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define TWOLAYER_DSP_FIXED_ASM 1

namespace twolayer::kernels::detail_dsp_fixed_asm {

// The eight data registers (four words of each vector) are named in the code, because an LDM
// register list must be in ascending order, which operands the compiler picks cannot promise.
// r7 is left out: it is the Thumb frame pointer when one is kept (-O0, -fno-omit-frame-pointer),
// and a clobbered frame pointer is a compile error. The operands (two pointers, the count, the
// two accumulator halves) take five of r0-r3 and lr. The asm reads memory the compiler wrote.
#define TWOLAYER_ASM_CLOBBERS_Q15 "r4", "r5", "r6", "r8", "r9", "r10", "r11", "r12", "memory", "cc"

// Eight multiply-accumulates: four words of a (r4-r6, r8), four of b (r9-r12), four SMLALD.
#define TWOLAYER_Q15_CHUNK8                                                                          \
    "ldmia %[a]!, {r4, r5, r6, r8}\n\t"                                                           \
    "ldmia %[b]!, {r9, r10, r11, r12}\n\t"                                                        \
    "smlald %[lo], %[hi], r4, r9\n\t"                                                             \
    "smlald %[lo], %[hi], r5, r10\n\t"                                                            \
    "smlald %[lo], %[hi], r6, r11\n\t"                                                            \
    "smlald %[lo], %[hi], r8, r12\n\t"

// s += a[0 : 8 chunks] . b[0 : 8 chunks] exactly; a and b word aligned, chunks >= 1. The pointers
// are left after the chunks consumed. An odd chunk goes first, then the loop does two per pass
// (its count is chunks / 2, which LSRS computes while it moves the odd bit into the carry).
inline void dot_chunks8(const std::int16_t*& a, const std::int16_t*& b, index_t chunks, std::int64_t& s) {
    // The accumulator as two 32-bit operands: no register-pair constraint for the allocator.
    std::uint32_t lo = std::uint32_t(std::uint64_t(s)), hi = std::uint32_t(std::uint64_t(s) >> 32);
    __asm__ volatile(
        "lsrs %[c], %[c], #1\n\t"  // c = chunks / 2; C = chunks odd; Z = no pair of chunks
        "bcc 2f\n\t"
        TWOLAYER_Q15_CHUNK8        // the odd chunk (LDM and SMLALD leave the flags alone)
        "beq 3f\n"                 // chunks was 1
        "2:\n\t"
        TWOLAYER_Q15_CHUNK8
        TWOLAYER_Q15_CHUNK8
        "subs %[c], %[c], #1\n\t"
        "bne 2b\n"
        "3:\n\t"
        : [a] "+r"(a), [b] "+r"(b), [c] "+r"(chunks), [lo] "+r"(lo), [hi] "+r"(hi)
        :
        : TWOLAYER_ASM_CLOBBERS_Q15);
    s = std::int64_t((std::uint64_t(hi) << 32) | lo);
}

// The same for a chunk count known at compile time (a static extent), fully unrolled: no count,
// no branches, six instructions per eight MACs (0.75 per MAC). The count is written in binary,
// one asm statement of 16, 8, 4, 2 or 1 chunks per bit set (N = 64: one statement), because
// GCC moves the accumulator between registers at each statement boundary. Not the assembler's
// .rept: GCC sizes an asm by its lines, so a .rept body would be underestimated and branches or
// literal pools around it could end up out of range (seen: "co-processor offset out of range").
#define TWOLAYER_Q15_CHUNK8_X2 TWOLAYER_Q15_CHUNK8 TWOLAYER_Q15_CHUNK8
#define TWOLAYER_Q15_CHUNK8_X4 TWOLAYER_Q15_CHUNK8_X2 TWOLAYER_Q15_CHUNK8_X2
#define TWOLAYER_Q15_CHUNK8_X8 TWOLAYER_Q15_CHUNK8_X4 TWOLAYER_Q15_CHUNK8_X4
#define TWOLAYER_Q15_CHUNK8_X16 TWOLAYER_Q15_CHUNK8_X8 TWOLAYER_Q15_CHUNK8_X8
#define TWOLAYER_Q15_STRAIGHT(body)                                                                  \
    __asm__ volatile(body : [a] "+r"(a), [b] "+r"(b), [lo] "+r"(lo), [hi] "+r"(hi) : : TWOLAYER_ASM_CLOBBERS_Q15)

template <index_t Chunks>
inline void dot_chunks8_unrolled(const std::int16_t*& a, const std::int16_t*& b, std::int64_t& s) {
    static_assert(Chunks >= 1 && Chunks < 32, "1 to 31 chunks");
    std::uint32_t lo = std::uint32_t(std::uint64_t(s)), hi = std::uint32_t(std::uint64_t(s) >> 32);
    if constexpr ((Chunks & 16) != 0) TWOLAYER_Q15_STRAIGHT(TWOLAYER_Q15_CHUNK8_X16);
    if constexpr ((Chunks & 8) != 0) TWOLAYER_Q15_STRAIGHT(TWOLAYER_Q15_CHUNK8_X8);
    if constexpr ((Chunks & 4) != 0) TWOLAYER_Q15_STRAIGHT(TWOLAYER_Q15_CHUNK8_X4);
    if constexpr ((Chunks & 2) != 0) TWOLAYER_Q15_STRAIGHT(TWOLAYER_Q15_CHUNK8_X2);
    if constexpr ((Chunks & 1) != 0) TWOLAYER_Q15_STRAIGHT(TWOLAYER_Q15_CHUNK8);
    s = std::int64_t((std::uint64_t(hi) << 32) | lo);
}

#undef TWOLAYER_Q15_STRAIGHT
#undef TWOLAYER_Q15_CHUNK8_X16
#undef TWOLAYER_Q15_CHUNK8_X8
#undef TWOLAYER_Q15_CHUNK8_X4
#undef TWOLAYER_Q15_CHUNK8_X2
#undef TWOLAYER_Q15_CHUNK8
#undef TWOLAYER_ASM_CLOBBERS_Q15

}  // namespace twolayer::kernels::detail_dsp_fixed_asm
#endif
