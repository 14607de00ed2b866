// Arch tags. Kernels are overloaded on the tag; a more specific arch inherits from the one it
// extends, so overload resolution picks the most derived arch that has a kernel and falls back
// to the scalar reference for the rest (xsimd's idea).
//
// The tag classes live in namespace kernels, beside the kernels, and the library calls kernels
// unqualified: argument-dependent lookup then sees every overload declared before the call is
// instantiated, whatever order the headers were included in. arch:: holds the names users write.
#pragma once

namespace twolayer {
namespace kernels {

struct scalar {
    static constexpr const char* name = "scalar";
};

}  // namespace kernels

namespace arch {

using scalar = kernels::scalar;

// The arch the library uses when the caller names none. The SIMD backends will choose it from
// the compiler's macros.
using default_arch = scalar;

}  // namespace arch
}  // namespace twolayer
