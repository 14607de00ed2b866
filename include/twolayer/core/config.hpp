// Build-wide constants and the index type. Everything in include/twolayer is heap-free,
// exception-free and usable on bare metal.
#pragma once
#include <cstddef>
#include <cstdint>

namespace twolayer {

// The type of every size and index (extents, loop counters): std::size_t.
using index_t = std::size_t;

// Marks an extent known only at run time (host tools choosing N and P on the command line).
inline constexpr index_t dynamic_extent = static_cast<index_t>(-1);

// Storage alignment: one cache line, enough for every SIMD width we target (AVX-512 included).
inline constexpr index_t storage_alignment = 64;

}  // namespace twolayer

#if defined(__GNUC__)
#define TWOLAYER_INLINE inline __attribute__((always_inline))
#define TWOLAYER_RESTRICT __restrict__
#else
#define TWOLAYER_INLINE inline
#define TWOLAYER_RESTRICT
#endif
