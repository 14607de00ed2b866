// Whether the code compiled in the calling translation unit contracts a * b + c into one fused
// multiply-add. The library's results are the same bits on every arch only when it does not: the
// scalar reference rounds every product and every sum, and the SGD digests recorded on the host
// assume that. The project's CMake target (twolayer::twolayer) passes -ffp-contract=off to every
// user; a build that does not use the target, or adds -ffp-contract=fast / -ffast-math after it,
// may fuse on a target with FMA (GCC's default outside strict ISO mode; AArch64, Armv8-M, x86
// with -mfma) and then get results that are correct to rounding but not bit-identical.
#pragma once

namespace twolayer {

// The function lives in an unnamed namespace on purpose: every translation unit that calls it
// gets its own copy, compiled with that unit's flags (an ordinary inline function would be one
// definition chosen by the linker, compiled with some unit's flags). Operands are volatile so
// nothing is folded at compile time; they are chosen so that the fused and the unfused results
// differ: (1 + 2^-13)(1 - 2^-13) - 1 is -2^-26 exactly, but the rounded product is 1.0f and the
// unfused result 0 (likewise 2^-30 in double). Both float and double are tried: a target may fuse
// only one of them (Cortex-M4 and M33 have single-precision FMA only).
namespace {

/// True when this translation unit evaluates a * b + c with two roundings (no FMA contraction),
/// as the library's bit-identity promise needs. Call it from your own code, compiled with your
/// flags, e.g. once at start-up: `if (!twolayer::fp_contract_off()) report("built with FP contraction");`
/// On targets without fused instructions it is always true.
inline bool fp_contract_off() {
    volatile float af = 1.0f + 0x1p-13f, bf = 1.0f - 0x1p-13f, cf = -1.0f;
    volatile double ad = 1.0 + 0x1p-30, bd = 1.0 - 0x1p-30, cd = -1.0;
    const float rf = af * bf + cf;
    const double rd = ad * bd + cd;
    return rf == 0.0f && rd == 0.0;
}

}  // namespace

}  // namespace twolayer
