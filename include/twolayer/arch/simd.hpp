// The xsimd arch tag: one tag per xsimd architecture, on top of the scalar reference.
#pragma once
#include <xsimd/xsimd.hpp>

#include "twolayer/arch/tags.hpp"

namespace twolayer::kernels {

// XA: an xsimd architecture (xsimd::sse2, xsimd::avx2, xsimd::neon64, ...).
template <class XA>
struct simd : scalar {
    using xsimd_arch = XA;
    static constexpr const char* name = XA::name();
};

}  // namespace twolayer::kernels
