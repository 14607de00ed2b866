// arch::default_arch: the arch the library uses when a caller names none, chosen at compile time
// from the compiler's target macros, so a build for a board gets that board's kernels without
// configuration. A build may force one with TWOLAYER_ARCH_<NAME> (CMake: -DTWOLAYER_ARCH=...),
// which is how tests and benchmarks compare arches on one machine. This header only names the
// arch (and defines exactly one TWOLAYER_ARCH_<NAME>); kernels/default_arch.hpp includes its
// kernels.
//
// Order matters: Armv7-A defines __ARM_FEATURE_DSP too, and the Cortex-M55 has both DSP and MVE.
#pragma once
#include "twolayer/arch/tags.hpp"

#if defined(TWOLAYER_ARCH_SCALAR) || defined(TWOLAYER_ARCH_SIMD) || defined(TWOLAYER_ARCH_NEON) || \
    defined(TWOLAYER_ARCH_NEON_FP16) || defined(TWOLAYER_ARCH_DSP) || defined(TWOLAYER_ARCH_HELIUM)
// forced by the build
#elif defined(__ARM_FEATURE_MVE)
#define TWOLAYER_ARCH_HELIUM 1
#elif defined(__ARM_FEATURE_DSP) && !defined(__ARM_NEON)
#define TWOLAYER_ARCH_DSP 1
#elif defined(__ARM_NEON) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
#define TWOLAYER_ARCH_NEON_FP16 1
#elif defined(__ARM_NEON)
#define TWOLAYER_ARCH_NEON 1
#elif (defined(__x86_64__) || defined(__i386__)) && defined(__has_include)
#if __has_include(<xsimd/xsimd.hpp>)
#define TWOLAYER_ARCH_SIMD 1
#else
#define TWOLAYER_ARCH_SCALAR 1
#endif
#else
#define TWOLAYER_ARCH_SCALAR 1
#endif

#if defined(TWOLAYER_ARCH_SIMD)
#include <xsimd/xsimd.hpp>
#endif

namespace twolayer::arch {

/// The arch of every kernel call that names none (model/, train/ default arguments).
#if defined(TWOLAYER_ARCH_SIMD)
using default_arch = simd<xsimd::default_arch>;
#elif defined(TWOLAYER_ARCH_HELIUM)
using default_arch = helium;
#elif defined(TWOLAYER_ARCH_DSP)
using default_arch = dsp;
#elif defined(TWOLAYER_ARCH_NEON_FP16)
using default_arch = neon_fp16;
#elif defined(TWOLAYER_ARCH_NEON)
using default_arch = neon;
#else
using default_arch = scalar;
#endif

}  // namespace twolayer::arch
