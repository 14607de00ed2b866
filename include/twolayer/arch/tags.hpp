// Arch tags: one empty type per instruction set the kernels are written for, and the one rule by
// which a call finds its kernel. Tags only: no kernels, no compiler macros, no include of the
// kernel headers (the default arch is chosen in arch/select.hpp, its kernels are included by
// kernels/default_arch.hpp).
//
// A more specific arch inherits from the one it extends:
//
//   scalar <- simd<XA>                 xsimd batches (x86 SSE2 ... AVX-512)
//   scalar <- neon <- neon_fp16        explicit NEON intrinsics; + Armv8.2-A half arithmetic
//   scalar <- dsp  <- helium           Cortex-M FPU + DSP extension; + MVE (Cortex-M55)
//
// The dispatch rule (xsimd's requires_arch idea), the same for every kernel:
//
//  1. An implementation is an overload of kernels::kernel whose first parameter names the
//     operation (kernels::op::gemv, ...) and whose last parameter is requires_arch<Tag>, that is
//     `const Tag&`, for the tag it is written for; its first template parameter A is the caller's
//     arch, given explicitly. It never deduces the arch from that parameter, and never takes a
//     tag by value.
//  2. The caller's arch object binds to every requires_arch<B> with B the arch itself or one of
//     its bases; a reference to a more derived base is a better conversion than one to a less
//     derived base, so among the implementations whose other parameters fit, the one on the most
//     derived tag wins: an arch gets its own kernel, else its base's, ..., else the scalar
//     reference on the root tag.
//  3. Implementations that compose other kernels (gemv_bias = gemv, then the bias; the fused
//     rank1_update_gemv = rank1_update, then gemv) sit on the root tag `scalar` and call
//     kernel<A>(...) with the caller's real arch A, so they use that arch's own kernels.
//  4. Callers use the public entries (kernels::gemv(W, x, y, scale, arch), ...): one thin
//     function per operation, in kernels/scalar.hpp, that calls kernel<Arch>(op::..., ..., arch).
//  5. The tags live in namespace kernels beside the implementations and the call is unqualified
//     and dependent, so argument-dependent lookup at the point of instantiation sees every
//     implementation declared in any header included before it, whatever the include order.
//
// kernels::kernel_choice<op, Arch, Args...> (kernels/dispatch.hpp) names the tag whose
// implementation a call selects, by the very overload resolution the call does
// (tests/test_kernel_choice.cpp asserts it per preset).
//
// A tag is only a name: naming one whose kernels the compiler cannot build is harmless, because
// its kernels exist only where its header compiles them (it then resolves to its base's).
#pragma once

namespace twolayer {
namespace kernels {

/// The scalar reference: portable C++ for every format, and the root of every arch.
struct scalar {
    static constexpr const char* name = "scalar";
};

/// xsimd batches of the xsimd architecture XA (xsimd::sse2, xsimd::avx2, ...). Naming it needs
/// no xsimd header; instantiating it (its name) needs XA's definition, so <xsimd/xsimd.hpp>.
template <class XA>
struct simd : scalar {
    using xsimd_arch = XA;
    static constexpr const char* name = XA::name();
};

/// Explicit NEON intrinsics: float on Armv7-A (NEON-VFPv4) and AArch64, double on AArch64.
struct neon : scalar {
    static constexpr const char* name = "neon";
};

/// NEON plus Armv8.2-A half-precision vector arithmetic (f16 dot/gemv); everything else is neon's.
struct neon_fp16 : neon {
    static constexpr const char* name = "neon_fp16";
};

/// Cortex-M single-precision FPU and DSP extension (M4, M7, M33): VLDM/VFMA float loops, SMLALD
/// Q15 loops, the LDM scan of the guard.
struct dsp : scalar {
    static constexpr const char* name = "dsp";
};

/// Helium (MVE, Cortex-M55). The M55 has the DSP extension too, so every dsp kernel is valid
/// there and is what helium gets where it has no kernel of its own.
struct helium : dsp {
    static constexpr const char* name = "helium";
};

/// The parameter type of an implementation written for Tag (rule 1 above).
template <class Tag>
using requires_arch = const Tag&;

}  // namespace kernels

/// The names users write: arch::scalar, arch::neon, ...; arch::default_arch is in arch/select.hpp.
namespace arch {

using scalar = kernels::scalar;
template <class XA>
using simd = kernels::simd<XA>;
using neon = kernels::neon;
using neon_fp16 = kernels::neon_fp16;
using dsp = kernels::dsp;
using helium = kernels::helium;

}  // namespace arch
}  // namespace twolayer
