// Fixed-size, aligned storage that lives inside the object that declares it (no heap).
#pragma once
#include <cstddef>
#include <cstdint>

#include "twolayer/core/view.hpp"

namespace twolayer {

// Whether R x K values of T can be one array in an object: the element count R K must not wrap
// in index_t (on a 32-bit target 65536 x 65537 is 65536), and the byte size R K sizeof(T) must
// fit ptrdiff_t, the largest object a compiler accepts (half of size_t's range). Tested by
// division, so nothing wraps while it is tested.
template <class T>
constexpr bool storage_fits(index_t rows, index_t cols) {
    constexpr index_t max_bytes = index_t(PTRDIFF_MAX);
    return rows != 0 && cols != 0 && cols <= index_t(-1) / rows && rows * cols <= max_bytes / sizeof(T);
}

// N values of T inside the object (aligned for SIMD); view() hands out a static-extent view.
template <class T, index_t N>
struct alignas(storage_alignment) vec {
    static_assert(N > 0, "vec<T, N>: N must be at least 1");
    static_assert(N == 0 || storage_fits<T>(N, 1), "vec<T, N>: N * sizeof(T) bytes do not fit ptrdiff_t");
    T data[N];

    static constexpr index_t size() { return N; }
    constexpr T& operator[](index_t i) { return data[i]; }
    constexpr const T& operator[](index_t i) const { return data[i]; }
    constexpr vec_view<T, N> view() { return vec_view<T, N>(data); }
    constexpr vec_view<const T, N> view() const { return vec_view<const T, N>(data); }
};

// An R x K row-major matrix inside the object; view() hands out a static-extent mat_view.
template <class T, index_t R, index_t K>
struct alignas(storage_alignment) mat {
    static_assert(R > 0 && K > 0, "mat<T, R, K>: both dimensions must be at least 1");
    static_assert(R == 0 || K == 0 || storage_fits<T>(R, K),
                  "mat<T, R, K>: R * K wraps in index_t, or R * K * sizeof(T) bytes do not fit ptrdiff_t");
    T data[R * K];

    static constexpr index_t rows() { return R; }
    static constexpr index_t cols() { return K; }
    constexpr T& operator()(index_t i, index_t j) { return data[i * K + j]; }
    constexpr const T& operator()(index_t i, index_t j) const { return data[i * K + j]; }
    constexpr mat_view<T, R, K> view() { return mat_view<T, R, K>(data); }
    constexpr mat_view<const T, R, K> view() const { return mat_view<const T, R, K>(data); }
};

// Sets every element of v to value.
template <class T, index_t E>
constexpr void fill(vec_view<T, E> v, T value) {
    for (index_t i = 0; i < v.size(); ++i) v[i] = value;
}

// Copies to.size() elements of from into to (from must hold at least as many).
template <class T, index_t E1, index_t E2>
constexpr void copy(vec_view<const T, E1> from, vec_view<T, E2> to) {
    for (index_t i = 0; i < to.size(); ++i) to[i] = from[i];
}

}  // namespace twolayer
