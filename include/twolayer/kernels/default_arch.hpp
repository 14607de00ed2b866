// The kernels the library calls: the scalar reference (every operation, every format) and the
// kernels of arch::default_arch (arch/select.hpp). model/ includes this header, so whoever can
// name the default arch has its implementations declared before any call is instantiated.
#pragma once
#include "twolayer/arch/select.hpp"
#include "twolayer/kernels/scalar.hpp"

#if defined(TWOLAYER_ARCH_SIMD)
#include "twolayer/kernels/xsimd.hpp"
#elif defined(TWOLAYER_ARCH_HELIUM)
#include "twolayer/kernels/helium.hpp"  // and dsp.hpp, its base's
#elif defined(TWOLAYER_ARCH_DSP)
#include "twolayer/kernels/dsp.hpp"
#elif defined(TWOLAYER_ARCH_NEON_FP16)
#include "twolayer/kernels/neon_fp16.hpp"  // and neon.hpp, its base's
#elif defined(TWOLAYER_ARCH_NEON)
#include "twolayer/kernels/neon.hpp"
#endif
