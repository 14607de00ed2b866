// Cortex-M float inner loops in assembly: the one thing the compiler will not do here is load
// several floats with one instruction. VLDM/VSTM move up to 16 registers each, so the loops below
// spend about 1.2 counted instructions per multiply-add (one VFMA each, plus a share of one load
// per 8 or 16 values) where compiled code spends one VLDR per operand. Register plan: s0-s15
// hold a 16-column chunk of x, s16-s23 one half chunk of a row of W; the compiler picks the
// accumulators (or the row coefficients) from the registers left. Each routine needs
// chunks >= 1 (the callers check) and leaves the pointers after the chunks it consumed, so the
// caller finishes the n % 16 columns in C. Real cycles are another matter (VFMA chains on one
// accumulator wait on each other); the counted instructions are what QEMU can measure.
//
// Available with a single-precision FPU that has VFMA (Cortex-M4, M7, M33, M55): TWOLAYER_DSP_ASM.
#pragma once
#include "twolayer/core/config.hpp"

#if defined(__thumb2__) && defined(__ARM_FEATURE_FMA) && defined(__ARM_FP) && (__ARM_FP & 4) && \
    defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define TWOLAYER_DSP_ASM 1

namespace twolayer::kernels::detail_dsp_asm {

// Every routine below uses s0-s23 as scratch (x chunk and row half chunk) and writes memory.
#define TWOLAYER_ASM_CLOBBERS_S0_S23                                                                   \
    "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15", \
        "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "memory", "cc"

// Eight multiply-adds of one half chunk of a row (s16-s23) with x values s<x0>..s<x0+7>.
#define TWOLAYER_VFMA8(acc, x0, x1, x2, x3, x4, x5, x6, x7)                                      \
    "vfma.f32 %[" #acc "], s16, s" #x0 "\n\t"                                                     \
    "vfma.f32 %[" #acc "], s17, s" #x1 "\n\t"                                                     \
    "vfma.f32 %[" #acc "], s18, s" #x2 "\n\t"                                                     \
    "vfma.f32 %[" #acc "], s19, s" #x3 "\n\t"                                                     \
    "vfma.f32 %[" #acc "], s20, s" #x4 "\n\t"                                                     \
    "vfma.f32 %[" #acc "], s21, s" #x5 "\n\t"                                                     \
    "vfma.f32 %[" #acc "], s22, s" #x6 "\n\t"                                                     \
    "vfma.f32 %[" #acc "], s23, s" #x7 "\n\t"

// One row's 16 columns of the dot product: two half-chunk loads, sixteen multiply-adds.
#define TWOLAYER_ROW_DOT16(row, acc)                                                              \
    "vldmia %[" #row "]!, {s16-s23}\n\t" TWOLAYER_VFMA8(acc, 0, 1, 2, 3, 4, 5, 6, 7)              \
    "vldmia %[" #row "]!, {s16-s23}\n\t" TWOLAYER_VFMA8(acc, 8, 9, 10, 11, 12, 13, 14, 15)

// a_r += W_r[0:16 chunks] . x for four rows sharing each loaded chunk of x (y = W x, four rows).
inline void dot4_chunks16(const float*& w0, const float*& w1, const float*& w2, const float*& w3,
                          const float*& x, index_t chunks, float& a0, float& a1, float& a2, float& a3) {
    __asm__ volatile(
        "1:\n\t"
        "vldmia %[x]!, {s0-s15}\n\t"
        TWOLAYER_ROW_DOT16(w0, a0)
        TWOLAYER_ROW_DOT16(w1, a1)
        TWOLAYER_ROW_DOT16(w2, a2)
        TWOLAYER_ROW_DOT16(w3, a3)
        "subs %[c], %[c], #1\n\t"
        "bne 1b\n\t"
        : [w0] "+r"(w0), [w1] "+r"(w1), [w2] "+r"(w2), [w3] "+r"(w3), [x] "+r"(x), [c] "+r"(chunks),
          [a0] "+t"(a0), [a1] "+t"(a1), [a2] "+t"(a2), [a3] "+t"(a3)
        :
        : TWOLAYER_ASM_CLOBBERS_S0_S23);
}

// In-out operands are early-clobber ("+&r"): they change while the inputs are still being read,
// and without the mark GCC may give an input of equal value the same register (with sizes in the
// type, blocks and chunks are both 4 for a 16 x 64 matrix: the chunk count then ran down with the
// block count).
//
// The block loop of gemv over whole blocks of four rows when n is a multiple of 16, up to the
// point where the four sums a0..a3 of a block are scaled; `store` then writes them (and adds the
// biases). The block loop too is in the assembly, so nothing spills between blocks (at -Os the
// compiled block loop spilled; its count is in docs/BENCHMARKS.md). Row r + 1 starts where row r's
// pointer stops.
#define TWOLAYER_GEMV_BLOCKS4_N16(store)                                                          \
    "2:\n\t"                                                                                      \
    "mov %[xp], %[x]\n\t"                                                                         \
    "mov %[c], %[chunks]\n\t"                                                                     \
    "add %[w1], %[w0], %[stride]\n\t"                                                             \
    "add %[w2], %[w1], %[stride]\n\t"                                                             \
    "add %[w3], %[w2], %[stride]\n\t"                                                             \
    "vmov.f32 %[a0], %[zero]\n\tvmov.f32 %[a1], %[zero]\n\t"                                      \
    "vmov.f32 %[a2], %[zero]\n\tvmov.f32 %[a3], %[zero]\n\t"                                      \
    "1:\n\t"                                                                                      \
    "vldmia %[xp]!, {s0-s15}\n\t"                                                                 \
    TWOLAYER_ROW_DOT16(w0, a0)                                                                    \
    TWOLAYER_ROW_DOT16(w1, a1)                                                                    \
    TWOLAYER_ROW_DOT16(w2, a2)                                                                    \
    TWOLAYER_ROW_DOT16(w3, a3)                                                                    \
    "subs %[c], %[c], #1\n\t"                                                                     \
    "bne 1b\n\t"                                                                                  \
    "vmul.f32 %[a0], %[a0], %[scale]\n\tvmul.f32 %[a1], %[a1], %[scale]\n\t"                      \
    "vmul.f32 %[a2], %[a2], %[scale]\n\tvmul.f32 %[a3], %[a3], %[scale]\n\t"                      \
    store                                                                                         \
    "vstmia %[y]!, {%[a0]}\n\tvstmia %[y]!, {%[a1]}\n\tvstmia %[y]!, {%[a2]}\n\tvstmia %[y]!, {%[a3]}\n\t" \
    "mov %[w0], %[w3]\n\t"                                                                        \
    "subs %[blocks], %[blocks], #1\n\t"                                                           \
    "bne 2b\n\t"

// y[0 : 4 blocks] = scale (W x), whole blocks of four rows, n a multiple of 16.
inline void gemv_blocks4_n16(const float* w, index_t blocks, index_t n, const float* x, float* y, float scale) {
    const index_t stride = n * sizeof(float), chunks = n / 16;
    const float* w1;
    const float* w2;
    const float* w3;
    const float* xp;
    index_t c;
    float a0, a1, a2, a3;
    __asm__ volatile(
        TWOLAYER_GEMV_BLOCKS4_N16("")
        : [w0] "+&r"(w), [y] "+&r"(y), [blocks] "+&r"(blocks), [w1] "=&r"(w1), [w2] "=&r"(w2), [w3] "=&r"(w3),
          [xp] "=&r"(xp), [c] "=&r"(c), [a0] "=&t"(a0), [a1] "=&t"(a1), [a2] "=&t"(a2), [a3] "=&t"(a3)
        : [x] "r"(x), [stride] "r"(stride), [chunks] "r"(chunks), [zero] "t"(0.0f), [scale] "t"(scale)
        : TWOLAYER_ASM_CLOBBERS_S0_S23);
}

// y[0 : 4 blocks] = scale (W x) + b, the same with biases: the scaled sum is rounded, then the
// bias added (the operations of gemv followed by the addition, so the same bits). Four biases
// per VLDM, into registers the dot loop is done with.
inline void gemv_bias_blocks4_n16(const float* w, index_t blocks, index_t n, const float* x, const float* b,
                                  float* y, float scale) {
    const index_t stride = n * sizeof(float), chunks = n / 16;
    const float* w1;
    const float* w2;
    const float* w3;
    const float* xp;
    index_t c;
    float a0, a1, a2, a3;
    __asm__ volatile(
        TWOLAYER_GEMV_BLOCKS4_N16(
            "vldmia %[b]!, {s16-s19}\n\t"
            "vadd.f32 %[a0], %[a0], s16\n\tvadd.f32 %[a1], %[a1], s17\n\t"
            "vadd.f32 %[a2], %[a2], s18\n\tvadd.f32 %[a3], %[a3], s19\n\t")
        : [w0] "+&r"(w), [y] "+&r"(y), [b] "+&r"(b), [blocks] "+&r"(blocks), [w1] "=&r"(w1), [w2] "=&r"(w2),
          [w3] "=&r"(w3), [xp] "=&r"(xp), [c] "=&r"(c), [a0] "=&t"(a0), [a1] "=&t"(a1), [a2] "=&t"(a2),
          [a3] "=&t"(a3)
        : [x] "r"(x), [stride] "r"(stride), [chunks] "r"(chunks), [zero] "t"(0.0f), [scale] "t"(scale)
        : TWOLAYER_ASM_CLOBBERS_S0_S23);
}

#undef TWOLAYER_GEMV_BLOCKS4_N16

// a += w[0:16 chunks] . x for one row (the rows left over by dot4, and dot itself).
inline void dot1_chunks16(const float*& w, const float*& x, index_t chunks, float& a) {
    __asm__ volatile(
        "1:\n\t"
        "vldmia %[x]!, {s0-s15}\n\t"
        TWOLAYER_ROW_DOT16(w, a)
        "subs %[c], %[c], #1\n\t"
        "bne 1b\n\t"
        : [w] "+r"(w), [x] "+r"(x), [c] "+r"(chunks), [a] "+t"(a)
        :
        : TWOLAYER_ASM_CLOBBERS_S0_S23);
}

#undef TWOLAYER_ROW_DOT16

// One row's 16 columns of the update W_r += c_r x: load a half chunk, eight multiply-adds into
// it, store it back (the store advances the pointer).
#define TWOLAYER_ROW_AXPY8(row, c, x0, x1, x2, x3, x4, x5, x6, x7)                               \
    "vldmia %[" #row "], {s16-s23}\n\t"                                                           \
    "vfma.f32 s16, %[" #c "], s" #x0 "\n\t"                                                       \
    "vfma.f32 s17, %[" #c "], s" #x1 "\n\t"                                                       \
    "vfma.f32 s18, %[" #c "], s" #x2 "\n\t"                                                       \
    "vfma.f32 s19, %[" #c "], s" #x3 "\n\t"                                                       \
    "vfma.f32 s20, %[" #c "], s" #x4 "\n\t"                                                       \
    "vfma.f32 s21, %[" #c "], s" #x5 "\n\t"                                                       \
    "vfma.f32 s22, %[" #c "], s" #x6 "\n\t"                                                       \
    "vfma.f32 s23, %[" #c "], s" #x7 "\n\t"                                                       \
    "vstmia %[" #row "]!, {s16-s23}\n\t"
#define TWOLAYER_ROW_AXPY16(row, c)                                                               \
    TWOLAYER_ROW_AXPY8(row, c, 0, 1, 2, 3, 4, 5, 6, 7) TWOLAYER_ROW_AXPY8(row, c, 8, 9, 10, 11, 12, 13, 14, 15)

// W_r += c_r x over 16-column chunks for four rows sharing each loaded chunk of x.
inline void axpy4_chunks16(float*& w0, float*& w1, float*& w2, float*& w3, const float*& x, index_t chunks,
                           float c0, float c1, float c2, float c3) {
    __asm__ volatile(
        "1:\n\t"
        "vldmia %[x]!, {s0-s15}\n\t"
        TWOLAYER_ROW_AXPY16(w0, c0)
        TWOLAYER_ROW_AXPY16(w1, c1)
        TWOLAYER_ROW_AXPY16(w2, c2)
        TWOLAYER_ROW_AXPY16(w3, c3)
        "subs %[c], %[c], #1\n\t"
        "bne 1b\n\t"
        : [w0] "+r"(w0), [w1] "+r"(w1), [w2] "+r"(w2), [w3] "+r"(w3), [x] "+r"(x), [c] "+r"(chunks)
        : [c0] "t"(c0), [c1] "t"(c1), [c2] "t"(c2), [c3] "t"(c3)
        : TWOLAYER_ASM_CLOBBERS_S0_S23);
}

// w += c x over 16-column chunks, one row.
inline void axpy1_chunks16(float*& w, const float*& x, index_t chunks, float c) {
    __asm__ volatile(
        "1:\n\t"
        "vldmia %[x]!, {s0-s15}\n\t"
        TWOLAYER_ROW_AXPY16(w, c)
        "subs %[n], %[n], #1\n\t"
        "bne 1b\n\t"
        : [w] "+r"(w), [x] "+r"(x), [n] "+r"(chunks)
        : [c] "t"(c)
        : TWOLAYER_ASM_CLOBBERS_S0_S23);
}

#undef TWOLAYER_ROW_AXPY16
#undef TWOLAYER_ROW_AXPY8
#undef TWOLAYER_VFMA8
#undef TWOLAYER_ASM_CLOBBERS_S0_S23

}  // namespace twolayer::kernels::detail_dsp_asm
#endif
