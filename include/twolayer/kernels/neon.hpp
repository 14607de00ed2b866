// Explicit NEON kernels: float on Armv7-A (NEON-VFPv4) and AArch64, double on AArch64 only
// (Armv7 NEON has no double lanes). Overloads only; whatever is missing resolves to the scalar
// reference through the tag's base class. Fused multiply-adds and split accumulators make the
// results differ from the scalar kernels by rounding only (tested: a few ulp times the fan-in).
//
// Written for few instructions per multiply-add (counted under QEMU, tools/count-insns): on
// AArch64 one LD1/ST1 moves four registers (16 floats), every load post-increments its pointer,
// each loaded block of x serves several rows, and the first block multiplies instead of adding to
// zeroed accumulators. The floors at 16 x 64: the gemv one FMA per 4 MACs and one load per 16 W
// elements, the rank-1 update LD1, 4 FMA, ST1 per 16 (docs/BENCHMARKS.md has the counts).
//
// Implementations on neon: dot, gemv, rank1_update (float; double on AArch64); tanh_map (AArch64).
// Without NEON (__ARM_NEON) this header declares nothing.
#pragma once
#include <type_traits>
#include <utility>

#include "twolayer/arch/tags.hpp"
#include "twolayer/core/math.hpp"
#include "twolayer/core/view.hpp"
#include "twolayer/format/traits.hpp"
#include "twolayer/kernels/common.hpp"
#include "twolayer/kernels/neon_lanes.hpp"
#include "twolayer/kernels/scalar.hpp"

#if defined(__ARM_NEON)
#include <arm_neon.h>

namespace twolayer::kernels {
namespace detail_neon {

// Multi-register loads and stores (LD1/ST1 of four registers) have no immediate offset, only
// post-increment: pointers bumped after each access are made opaque (kernels/common.hpp).
using detail::load_fence;
using detail::opaque;

// The pointer kernels of TWOLAYER_POINTER_KERNELS (kernels/common.hpp): the element types with
// lanes; dot, gemv and rank1_update below.
template <class T>
inline constexpr bool takes = has_lanes<T>;

// Four registers from p, and p moved past them (left opaque). AArch64: one LD1. Armv7: VLD1 has no
// immediate offset either, so four loads each bumping p (without the bumps GCC adds an ADD per load).
template <class T>
TWOLAYER_INLINE typename lanes<T>::quad next4(const T*& p) {
    using L = lanes<T>;
#if defined(__aarch64__)
    const typename L::quad q = L::load4(p);
    p += 4 * L::width, opaque(p);
    return q;
#else
    typename L::quad q;
    for (int k = 0; k < 4; ++k) q.val[k] = L::load(p), p += L::width, opaque(p);
    return q;
#endif
}

// Remainder loops count down (r = n - i): on the plain `for (; i < n; ++i)` form GCC 12 warns
// falsely ("iteration ... invokes undefined behavior") when sizes are small compile-time
// constants, and the library builds with -Werror.

// Four accumulators: a single chain would wait for each FMA's latency. Blocks of four registers
// per operand: one LD1 (AArch64) loads each.
template <class T>
T dot(const T* a, const T* b, index_t n) {
    using L = lanes<T>;
    using reg = typename L::reg;
    constexpr index_t W = L::width, B = 4 * W;
    reg s0, s1, s2, s3;
    index_t k = n / B;
    if (k != 0) {
        // The first block multiplies: no zeroed accumulators to add to.
        const typename L::quad av = next4(a), bv = next4(b);
        s0 = L::mul(av.val[0], bv.val[0]);
        s1 = L::mul(av.val[1], bv.val[1]);
        s2 = L::mul(av.val[2], bv.val[2]);
        s3 = L::mul(av.val[3], bv.val[3]);
        --k;
    } else {
        s0 = s1 = s2 = s3 = L::zero();
    }
    for (; k != 0; --k) {
        const typename L::quad av = next4(a), bv = next4(b);
        s0 = L::fma(s0, av.val[0], bv.val[0]);
        s1 = L::fma(s1, av.val[1], bv.val[1]);
        s2 = L::fma(s2, av.val[2], bv.val[2]);
        s3 = L::fma(s3, av.val[3], bv.val[3]);
    }
    for (k = n % B / W; k != 0; --k, a += W, b += W) s0 = L::fma(s0, L::load(a), L::load(b));
    T s = L::sum(L::add(L::add(s0, s1), L::add(s2, s3)));
    for (k = n % W; k != 0; --k) s += *a++ * *b++;
    return s;
}

// Four rows of y = scale W x, one accumulator and one pointer each (post-incremented loads).
// Several of these share each loaded block of x (gemv below).
template <class T>
struct gemv_row4 {
    using L = lanes<T>;
    using reg = typename L::reg;
    const T *p0, *p1, *p2, *p3;
    reg a0, a1, a2, a3;  // set by first() or zero()

    TWOLAYER_INLINE gemv_row4(const T* w, index_t n) : p0(w), p1(w + n), p2(w + 2 * n), p3(w + 3 * n) {
        opaque(p0), opaque(p1), opaque(p2), opaque(p3);
    }

    static TWOLAYER_INLINE reg fma4(reg a, const typename L::quad& wv, const typename L::quad& xv) {
        return L::fma(L::fma(L::fma(L::fma(a, wv.val[0], xv.val[0]), wv.val[1], xv.val[1]), wv.val[2], xv.val[2]),
                      wv.val[3], xv.val[3]);
    }
    static TWOLAYER_INLINE reg mul4(const typename L::quad& wv, const typename L::quad& xv) {
        return L::fma(L::fma(L::fma(L::mul(wv.val[0], xv.val[0]), wv.val[1], xv.val[1]), wv.val[2], xv.val[2]),
                      wv.val[3], xv.val[3]);
    }
    TWOLAYER_INLINE void zero() { a0 = a1 = a2 = a3 = L::zero(); }
    // The first four registers of columns: multiplies start the sums (no zeroing).
    TWOLAYER_INLINE void first(const typename L::quad& xv) {
        a0 = mul4(next4(p0), xv), load_fence();
        a1 = mul4(next4(p1), xv), load_fence();
        a2 = mul4(next4(p2), xv), load_fence();
        a3 = mul4(next4(p3), xv), load_fence();
    }
    // Four registers of columns.
    TWOLAYER_INLINE void block(const typename L::quad& xv) {
        a0 = fma4(a0, next4(p0), xv), load_fence();
        a1 = fma4(a1, next4(p1), xv), load_fence();
        a2 = fma4(a2, next4(p2), xv), load_fence();
        a3 = fma4(a3, next4(p3), xv), load_fence();
    }
    // One register of columns.
    TWOLAYER_INLINE void step(reg xv) {
        constexpr index_t B = L::width;
        a0 = L::fma(a0, L::load(p0), xv), p0 += B;
        a1 = L::fma(a1, L::load(p1), xv), p1 += B;
        a2 = L::fma(a2, L::load(p2), xv), p2 += B;
        a3 = L::fma(a3, L::load(p3), xv), p3 += B;
    }
    // The last r (< width) columns, x pointing at them: scalar, added after the lane sums.
    TWOLAYER_INLINE void finish(const T* x, index_t r, T* y, T scale) {
        const reg acc[4] = {a0, a1, a2, a3};
        reg s[4 / L::width];
        for (index_t g = 0; g < 4 / L::width; ++g) s[g] = L::sums(acc + g * L::width);
        if (r != 0) {
            T t[4] = {};
            const T* p[4] = {p0, p1, p2, p3};
            for (int k = 0; k < 4; ++k)
                for (index_t c = 0; c != r; ++c) t[k] += p[k][c] * x[c];
            for (index_t g = 0; g < 4 / L::width; ++g) s[g] = L::add(s[g], L::load(t + g * L::width));
        }
        for (index_t g = 0; g < 4 / L::width; ++g) L::store(y + g * L::width, L::mul(L::dup(scale), s[g]));
    }
};

// The row groups rs (four rows each) of one block share every load of x: per 4 registers of
// columns, one load of x and one per row, each load feeding four FMAs.
template <class T, class... Rows>
TWOLAYER_INLINE void gemv_block(const T* x, index_t n, T* y, T scale, Rows&... rs) {
    using L = lanes<T>;
    constexpr index_t W = L::width, B = 4 * W;
    opaque(x);
    index_t k = n / B;
    if (k != 0) {
        const typename L::quad xv = next4(x);
        (rs.first(xv), ...);
        --k;
    } else {
        (rs.zero(), ...);
    }
#pragma GCC unroll 4
    for (; k != 0; --k) {
        const typename L::quad xv = next4(x);
        (rs.block(xv), ...);
    }
    for (k = n % B / W; k != 0; --k, x += W) {
        const typename L::reg xv = L::load(x);
        (rs.step(xv), ...);
    }
    index_t g = 0;
    (rs.finish(x, n % W, y + 4 * g++, scale), ...);
}

// Rows in blocks of 8 on AArch64 (8 accumulators, 4 registers of x, 4 of a row), then 4; blocks of 4
// on Armv7 (16 registers). (Blocks of 16 on AArch64 count the same instructions: fewer loads of x,
// but callee-saved registers to save.)
template <class T>
void gemv(const T* w, index_t rows, index_t n, const T* x, T* y, T scale) {
    using R4 = gemv_row4<T>;
    index_t i = 0;
#if defined(__aarch64__)
    for (; i + 8 <= rows; i += 8) {
        R4 r0(w + i * n, n), r1(w + (i + 4) * n, n);
        gemv_block(x, n, y + i, scale, r0, r1);
    }
#endif
    for (; i + 4 <= rows; i += 4) {
        R4 r0(w + i * n, n);
        gemv_block(x, n, y + i, scale, r0);
    }
    for (index_t r = rows - i; r != 0; --r, ++i) y[i] = scale * dot(w + i * n, x, n);
}

// The same in TWOLAYER_POINTER_KERNELS's form (W's static extents R, K unused: one gemv for all).
template <index_t R, index_t K, class T>
TWOLAYER_INLINE void gemv(const T* w, index_t rows, index_t n, const T* x, T* y, T scale) {
    gemv(w, rows, n, x, y, scale);
}

// Row R of a block: w = (decay) w + f[R] x over four registers of columns; w moves past them.
// On AArch64 written in assembly: GCC 12 keeps a loaded register quadruple and the quadruple to
// store in different registers and copies all four between them (four MOVs per six useful
// instructions); here the FMAs work in place, LD1 to ST1.
template <class T, bool Decay, int R>
TWOLAYER_INLINE void update_row(T*& w, const typename lanes<T>::quad& xv, typename lanes<T>::reg f,
                                typename lanes<T>::reg d) {
    using L = lanes<T>;
#if defined(__aarch64__)
    static_assert(4 * L::width * sizeof(T) == 64, "four registers of columns are 64 bytes");
    // The 64 bytes read and written, as a memory operand: no clobber of all memory. volatile: never
    // dropped, even where the bumped pointer is not used afterwards (the last row).
    auto& block = *reinterpret_cast<T(*)[4 * L::width]>(w);
    // S: the arrangement (4s, 2d); E: the element size of the by-element operand (s, d).
#define TWOLAYER_NEON_ROW(S, E, PRE)                                                                    \
    __asm__ volatile("ld1 {v28." S "-v31." S "}, [%[w]]\n\t" PRE "fmla v28." S ", %[x0]." S ", %[f]." E "[%[k]]\n\t"  \
            "fmla v29." S ", %[x1]." S ", %[f]." E "[%[k]]\n\t"                                                  \
            "fmla v30." S ", %[x2]." S ", %[f]." E "[%[k]]\n\t"                                                  \
            "fmla v31." S ", %[x3]." S ", %[f]." E "[%[k]]\n\t"                                                  \
            "st1 {v28." S "-v31." S "}, [%[w]], #64"                                                             \
            : [w] "+r"(w), "+m"(block)                                                                        \
            : [x0] "w"(xv.val[0]), [x1] "w"(xv.val[1]), [x2] "w"(xv.val[2]), [x3] "w"(xv.val[3]), [f] "w"(f),    \
              [d] "w"(d), [k] "n"(R)                                                                          \
            : "v28", "v29", "v30", "v31")
#define TWOLAYER_NEON_DECAY(S) \
    "fmul v28." S ", v28." S ", %[d]." S "\n\tfmul v29." S ", v29." S ", %[d]." S "\n\t" \
    "fmul v30." S ", v30." S ", %[d]." S "\n\tfmul v31." S ", v31." S ", %[d]." S "\n\t"
    if constexpr (std::is_same<T, float>::value) {
        if constexpr (Decay)
            TWOLAYER_NEON_ROW("4s", "s", TWOLAYER_NEON_DECAY("4s"));
        else
            TWOLAYER_NEON_ROW("4s", "s", "");
    } else {
        if constexpr (Decay)
            TWOLAYER_NEON_ROW("2d", "d", TWOLAYER_NEON_DECAY("2d"));
        else
            TWOLAYER_NEON_ROW("2d", "d", "");
    }
#undef TWOLAYER_NEON_DECAY
#undef TWOLAYER_NEON_ROW
#else
    // Register by register, load and store at one pointer bumped after the store (VLD1/VST1 have
    // no immediate offset: constant offsets would cost an ADD each).
    for (int k = 0; k < 4; ++k) {
        const typename L::reg wv = L::load(w);
        L::store(w, L::template fma_lane<R>(Decay ? L::mul(d, wv) : wv, xv.val[k], f));
        w += L::width, opaque(w);
    }
#endif
}

// The same over one register of columns.
template <class T, bool Decay, int R>
TWOLAYER_INLINE void update_row1(T*& w, typename lanes<T>::reg xv, typename lanes<T>::reg f,
                                 typename lanes<T>::reg d) {
    using L = lanes<T>;
    typename L::reg wv = L::load(w);
    if constexpr (Decay) wv = L::mul(d, wv);
    L::store(w, L::template fma_lane<R>(wv, xv, f));
    w += L::width;
}

// W = decay W + (alpha a) x^T on a panel of Q blocks of 4 registers of columns (up to 64 floats),
// x's part in registers for the whole panel: row after row, each row's factor read from a lane
// (the by-element FMA), one pointer walking W. Rows are independent, so no FMA waits for another.
template <class T, bool Decay, int... Q>
TWOLAYER_INLINE void rank1_panel(T* w, index_t rows, index_t n, const T* a, const T* x, T alpha, T decay,
                                 std::integer_sequence<int, Q...>) {
    using L = lanes<T>;
    using reg = typename L::reg;
    constexpr index_t W = L::width, B = 4 * W, NQ = sizeof...(Q);
    // Four single loads (paired into LDP) rather than one LD1: registers of an LD1 quadruple must be
    // consecutive, and GCC 12 then copies x out of them one MOV per register.
    const typename L::quad xq[NQ] = {
        {{L::load(x + Q * B), L::load(x + Q * B + W), L::load(x + Q * B + 2 * W), L::load(x + Q * B + 3 * W)}}...};
    const reg d = L::dup(decay);
    const index_t skip = n - NQ * B;  // from the panel's end in one row to its start in the next
    opaque(w);
    index_t i = 0;
    for (; i + W <= rows; i += W) {
        const reg f = L::mul(L::dup(alpha), L::load(a + i));
        if constexpr (W == 4) {
            (update_row<T, Decay, 0>(w, xq[Q], f, d), ...), w += skip;
            (update_row<T, Decay, 1>(w, xq[Q], f, d), ...), w += skip;
            (update_row<T, Decay, 2>(w, xq[Q], f, d), ...), w += skip;
            (update_row<T, Decay, 3>(w, xq[Q], f, d), ...), w += skip;
        } else {
            (update_row<T, Decay, 0>(w, xq[Q], f, d), ...), w += skip;
            (update_row<T, Decay, 1>(w, xq[Q], f, d), ...), w += skip;
        }
    }
    for (index_t r = rows - i; r != 0; --r, ++i) {
        const reg f = L::dup(T(alpha * a[i]));
        (update_row<T, Decay, 0>(w, xq[Q], f, d), ...), w += skip;
    }
}

// The columns after the last whole block of 4 registers: one register at a time, then scalar.
template <class T, bool Decay>
void rank1_tail(T* w, index_t rows, index_t n, const T* a, const T* x, T alpha, T decay) {
    using L = lanes<T>;
    constexpr index_t W = L::width;
    const index_t j0 = n / (4 * W) * (4 * W);
    for (index_t i = 0; i < rows; ++i) {
        const T f = T(alpha * a[i]);
        T* wr = w + i * n + j0;
        const T* xc = x + j0;
        for (index_t k = (n - j0) / W; k != 0; --k, xc += W)
            update_row1<T, Decay, 0>(wr, L::load(xc), L::dup(f), L::dup(decay));
        for (index_t k = n % W; k != 0; --k, ++wr, ++xc) *wr = Decay ? decay * *wr + f * *xc : *wr + f * *xc;
    }
}

// Panels of 64 bytes x 4 on AArch64 (16 of its 32 registers hold x), x 2 on Armv7 (8 of 16).
#if defined(__aarch64__)
inline constexpr int rank1_panel_blocks = 4;
#else
inline constexpr int rank1_panel_blocks = 2;
#endif

template <int Q>
using panel_blocks = std::make_integer_sequence<int, Q>;

template <bool Decay, class T>
void rank1_update(T* w, index_t rows, index_t n, const T* a, const T* x, T alpha, T decay) {
    constexpr index_t B = 4 * lanes<T>::width, P = rank1_panel_blocks;
    using full = panel_blocks<P>;
    index_t j = 0;
    for (; j + P * B <= n; j += P * B) rank1_panel<T, Decay>(w + j, rows, n, a, x + j, alpha, decay, full{});
    switch ((n - j) / B) {
        case 3: rank1_panel<T, Decay>(w + j, rows, n, a, x + j, alpha, decay, panel_blocks<3>{}); break;
        case 2: rank1_panel<T, Decay>(w + j, rows, n, a, x + j, alpha, decay, panel_blocks<2>{}); break;
        case 1: rank1_panel<T, Decay>(w + j, rows, n, a, x + j, alpha, decay, panel_blocks<1>{}); break;
        default: break;
    }
    if (n % B) rank1_tail<T, Decay>(w, rows, n, a, x, alpha, decay);
}

#if defined(__aarch64__)
// The coefficients broadcast to four lanes, in the order tanh_rational4 takes them, loaded from
// one table (an ADRP and five LDPs; literal loads take an ADRP and an LDR each).
alignas(16) inline constexpr float tanh_table[10][4] = {
#define TWOLAYER_TANH_ROW(v) {v, v, v, v}
    TWOLAYER_TANH_ROW(math::tanh_coef::p5), TWOLAYER_TANH_ROW(math::tanh_coef::p4),
    TWOLAYER_TANH_ROW(math::tanh_coef::p3), TWOLAYER_TANH_ROW(math::tanh_coef::p2),
    TWOLAYER_TANH_ROW(math::tanh_coef::p1), TWOLAYER_TANH_ROW(math::tanh_coef::q4),
    TWOLAYER_TANH_ROW(math::tanh_coef::q3), TWOLAYER_TANH_ROW(math::tanh_coef::q2),
    TWOLAYER_TANH_ROW(math::tanh_coef::q1), TWOLAYER_TANH_ROW(math::tanh_coef::big_t),
#undef TWOLAYER_TANH_ROW
};

// math::tanh_rational on four lanes: the same multiplies, adds and divide in the same order
// (AArch64's FMUL, FADD and FDIV are correctly rounded like the scalar ones, and the library
// builds with -ffp-contract=off, so none is fused), hence the same bits in every lane, NaN
// included: a NaN x fails t > 64 and x p / q carries x's payload, as in the scalar code. The
// scalar branch becomes a select; lanes with t > 64 (inf, huge) compute a discarded value.
// The coefficients come as separate registers (in an array or a struct, GCC 12 copies them
// through the stack).
TWOLAYER_INLINE float32x4_t tanh_rational4(float32x4_t x, float32x4_t p5, float32x4_t p4, float32x4_t p3,
                                           float32x4_t p2, float32x4_t p1, float32x4_t q4, float32x4_t q3,
                                           float32x4_t q2, float32x4_t q1, float32x4_t big) {
    const float32x4_t one = vdupq_n_f32(1.0f);
    const float32x4_t t = vmulq_f32(x, x);
    float32x4_t p = vaddq_f32(vmulq_f32(p5, t), p4);
    p = vaddq_f32(vmulq_f32(p, t), p3);
    p = vaddq_f32(vmulq_f32(p, t), p2);
    p = vaddq_f32(vmulq_f32(p, t), p1);
    p = vaddq_f32(vmulq_f32(p, t), one);
    float32x4_t q = vaddq_f32(vmulq_f32(q4, t), q3);
    q = vaddq_f32(vmulq_f32(q, t), q2);
    q = vaddq_f32(vmulq_f32(q, t), q1);
    q = vaddq_f32(vmulq_f32(q, t), one);
    const float32x4_t r = vdivq_f32(vmulq_f32(x, p), q);
    // t > 64: copysign(1, x). 1 goes into those lanes, then x's sign bit into every lane: a no-op
    // in the others, where r already has x's sign (p, q > 0 on [0, 64]; +-0 gives +-0, a NaN x
    // gives x's NaN). Three instructions instead of five.
    const float32x4_t m = vbslq_f32(vcgtq_f32(t, big), one, r);
    return vbslq_f32(vdupq_n_u32(0x80000000u), x, m);
}

inline void tanh_map(const float* x, float* g, index_t n) {
    index_t i = 0;
    if (n >= 4) {
        const float* k = &tanh_table[0][0];
        opaque(k);  // else GCC folds the loads back into one literal load per constant
        const float32x4_t p5 = vld1q_f32(k), p4 = vld1q_f32(k + 4), p3 = vld1q_f32(k + 8), p2 = vld1q_f32(k + 12),
                          p1 = vld1q_f32(k + 16), q4 = vld1q_f32(k + 20), q3 = vld1q_f32(k + 24),
                          q2 = vld1q_f32(k + 28), q1 = vld1q_f32(k + 32), big = vld1q_f32(k + 36);
        for (; i + 4 <= n; i += 4)
            vst1q_f32(g + i, tanh_rational4(vld1q_f32(x + i), p5, p4, p3, p2, p1, q4, q3, q2, q1, big));
    }
    for (index_t r = 0; r < n % 4; ++r) g[i + r] = math::tanh_rational(x[i + r]);
}
#endif

}  // namespace detail_neon

TWOLAYER_POINTER_KERNELS(neon, detail_neon)

#if defined(__aarch64__)
// tanh on float, four lanes at a time: bit for bit the scalar reference (tested). Not on Armv7:
// its NEON has no divide and flushes subnormals to zero, so it could not give the scalar bits.
template <class A, index_t E1, index_t E2>
result<A, neon> kernel(op::tanh_map, vec_view<const float, E1> x, vec_view<float, E2> y, requires_arch<neon>) {
    detail_neon::tanh_map(x.data(), y.data(), x.size());
}
#endif

}  // namespace twolayer::kernels
#endif
