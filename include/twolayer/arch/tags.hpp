// Arch tags. Kernels are overloaded on the tag; a more specific arch inherits from the one it
// extends, so overload resolution picks the most derived arch that has a kernel and falls back
// to the scalar reference for the rest (xsimd's idea).
#pragma once

namespace twolayer::arch {

struct scalar {
    static constexpr const char* name = "scalar";
};

// The arch the library uses when the caller names none. The SIMD backends will choose it from
// the compiler's macros; TWOLAYER_FORCE_SCALAR pins the reference path.
using default_arch = scalar;

}  // namespace twolayer::arch
