// Arch tags. Kernels are overloaded on the tag; a more specific arch inherits from the one it
// extends, so overload resolution picks the most derived arch that has a kernel and falls back
// to the scalar reference for the rest (xsimd's idea):
//
//   scalar <- simd<XA>                 xsimd batches (x86 SSE2 ... AVX-512)
//   scalar <- neon <- neon_fp16        explicit NEON intrinsics; + Armv8.2-A half arithmetic
//   scalar <- dsp  <- helium           Cortex-M FPU + DSP extension; + MVE (Cortex-M55)
//
// The tag classes live in namespace kernels, beside the kernels, and the library calls kernels
// unqualified: argument-dependent lookup then sees every overload declared before the call is
// instantiated, whatever order the headers were included in. arch:: holds the names users write.
// A tag is only a name: naming one whose kernels the compiler cannot build is harmless, because
// its kernels exist only where its header compiles (it then resolves to scalar).
#pragma once

namespace twolayer {
namespace kernels {

struct scalar {
    static constexpr const char* name = "scalar";
};

// Defined in arch/simd.hpp, which needs the xsimd headers; declared here so the default arch
// can name it whatever header is included first.
template <class XA>
struct simd;

struct neon : scalar {
    static constexpr const char* name = "neon";
};

struct neon_fp16 : neon {
    static constexpr const char* name = "neon_fp16";
};

struct dsp : scalar {
    static constexpr const char* name = "dsp";
};

// Helium has its own float kernels and falls back to dsp's for anything it lacks; the M55 has
// the DSP extension too, so every dsp kernel is valid there.
struct helium : dsp {
    static constexpr const char* name = "helium";
};

}  // namespace kernels

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

// arch::default_arch, and the kernels of that arch (so whoever names the default also has its
// overloads, before any call is instantiated).
#include "twolayer/arch/select.hpp"
