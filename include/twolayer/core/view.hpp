// Span-like views whose extents are static (device: every size is a constant) or dynamic
// (host tools: N and P from the command line). Kernels and trainers are written once against
// these views; a static extent costs nothing, a dynamic one is a size_t in the view.
#pragma once
#include <cstdint>
#include <type_traits>

#include "twolayer/core/config.hpp"

namespace twolayer {

namespace detail {
// A static extent is an empty base (no bytes in the view); a dynamic one stores the size.
// Tag tells the two extents of a matrix apart so both can be bases.
template <index_t E, int Tag = 0>
struct extent_store {
    constexpr extent_store() = default;
    constexpr explicit extent_store(index_t) {}
    static constexpr index_t get() { return E; }
};
template <int Tag>
struct extent_store<dynamic_extent, Tag> {
    index_t n = 0;
    constexpr extent_store() = default;
    constexpr explicit extent_store(index_t v) : n(v) {}
    constexpr index_t get() const { return n; }
};
}  // namespace detail

// Contiguous 1-D view of E elements of T (T may be const).
template <class T, index_t E = dynamic_extent>
class vec_view : private detail::extent_store<E> {
    using size_base = detail::extent_store<E>;

public:
    using value_type = T;
    static constexpr index_t extent = E;

    constexpr vec_view() = default;
    // Dynamic extent: the n elements at data. A static extent has no run-time size that could
    // disagree with its type: it takes the pointer alone (below).
    constexpr vec_view(T* data, index_t n) : size_base(n), data_(data) {
        static_assert(E == dynamic_extent,
                      "vec_view<T, E>(data, n): a static extent's size is E; write vec_view<T, E>(data), or use a "
                      "dynamic view vec_view<T>(data, n)");
    }
    // Static extent: the E elements at data (a pointer of any type that converts to T*; an array
    // takes the constructor below, which checks its size).
    template <class Q, std::enable_if_t<std::is_pointer<Q>::value && std::is_convertible<Q, T*>::value, int> = 0>
    constexpr explicit vec_view(Q data) : data_(data) {
        static_assert(E != dynamic_extent, "vec_view<T>(data): a dynamic view needs its size, vec_view<T>(data, n)");
    }
    // A whole array, its size taken from its type: vec_view<const float, N> xv(x), or vec_view xv(x).
    template <class U, std::size_t M, class = decltype(static_cast<T*>(static_cast<U*>(nullptr)))>
    constexpr vec_view(U (&a)[M]) : size_base(M), data_(a) {
        static_assert(E == dynamic_extent || E == M, "vec_view: the array has a different size than the view");
    }
    template <index_t E2>
    constexpr vec_view(vec_view<T, E2> o)  // static -> dynamic, or same extent
        : size_base(o.size()), data_(o.data()) {
        static_assert(E == dynamic_extent || E == E2, "vec_view: extents differ");
    }
    // Non-const view to const view.
    template <class U, index_t E2, class = decltype(static_cast<T*>(static_cast<U*>(nullptr)))>
    constexpr vec_view(vec_view<U, E2> o) : size_base(o.size()), data_(o.data()) {
        static_assert(E == dynamic_extent || E == E2, "vec_view: extents differ");
    }

    constexpr T* data() const { return data_; }
    constexpr index_t size() const { return size_base::get(); }
    constexpr T& operator[](index_t i) const { return data_[i]; }
    constexpr T* begin() const { return data_; }
    constexpr T* end() const { return data_ + size(); }

private:
    T* data_ = nullptr;
};

template <class U, std::size_t M>
vec_view(U (&)[M]) -> vec_view<U, M>;

namespace detail {
// The view of extent E at p whose size n is known to be E when E is static (the library's own
// views of its storage and of a matrix's rows): generic code written once for both extents.
template <class T, index_t E>
constexpr vec_view<T, E> view_at(T* p, index_t n) {
    if constexpr (E == dynamic_extent) {
        return vec_view<T, E>(p, n);
    } else {
        (void)n;
        return vec_view<T, E>(p);
    }
}
}  // namespace detail

// Row-major R x K matrix view with contiguous rows (row stride = cols).
template <class T, index_t R = dynamic_extent, index_t K = dynamic_extent>
class mat_view : private detail::extent_store<R, 0>, private detail::extent_store<K, 1> {
    using rows_base = detail::extent_store<R, 0>;
    using cols_base = detail::extent_store<K, 1>;

public:
    using value_type = T;
    static constexpr index_t row_extent = R;
    static constexpr index_t col_extent = K;

    constexpr mat_view() = default;
    // Sizes are given only for the extents that are dynamic: (data, rows, cols) when both are,
    // (data, n) when one is (n is that one), (data) when neither is; a static extent's size is
    // the type's, with no run-time value that could disagree with it.
    constexpr mat_view(T* data, index_t rows, index_t cols) : rows_base(rows), cols_base(cols), data_(data) {
        static_assert(R == dynamic_extent && K == dynamic_extent,
                      "mat_view<T, R, K>(data, rows, cols): give only the dynamic extents' sizes");
    }
    constexpr mat_view(T* data, index_t n) : rows_base(n), cols_base(n), data_(data) {
        static_assert((R == dynamic_extent) != (K == dynamic_extent),
                      "mat_view<T, R, K>(data, n): for a matrix with exactly one dynamic extent (n is its size)");
    }
    template <class Q, std::enable_if_t<std::is_pointer<Q>::value && std::is_convertible<Q, T*>::value, int> = 0>
    constexpr explicit mat_view(Q data) : data_(data) {
        static_assert(R != dynamic_extent && K != dynamic_extent,
                      "mat_view<T, R, K>(data): only for static extents; give the dynamic sizes");
    }
    template <class U, index_t R2, index_t K2, class = decltype(static_cast<T*>(static_cast<U*>(nullptr)))>
    constexpr mat_view(mat_view<U, R2, K2> o) : rows_base(o.rows()), cols_base(o.cols()), data_(o.data()) {
        static_assert((R == dynamic_extent || R == R2) && (K == dynamic_extent || K == K2),
                      "mat_view: extents differ");
    }

    constexpr T* data() const { return data_; }
    constexpr index_t rows() const { return rows_base::get(); }
    constexpr index_t cols() const { return cols_base::get(); }
    constexpr index_t size() const { return rows() * cols(); }
    constexpr T& operator()(index_t i, index_t j) const { return data_[i * cols() + j]; }
    constexpr vec_view<T, K> row(index_t i) const { return detail::view_at<T, K>(data_ + i * cols(), cols()); }
    constexpr vec_view<T, (R == dynamic_extent || K == dynamic_extent) ? dynamic_extent : R * K>
    flat() const {
        return detail::view_at<T, (R == dynamic_extent || K == dynamic_extent) ? dynamic_extent : R * K>(data_, size());
    }

private:
    T* data_ = nullptr;
};

// Whether a view's data is aligned for its element type, alignof(T): what every kernel needs of
// its buffers (a kernel loads elements of T; NEON and Helium vector loads need element
// alignment, the Cortex-M LDM/VLDM loops word alignment, which is a float's; none needs more).
// The trainers check it at their entries (step_status::misaligned_buffer). Only the pointer's
// value is inspected; a null view is aligned.
template <class T, index_t E>
bool is_aligned(vec_view<T, E> v) {
    return reinterpret_cast<std::uintptr_t>(v.data()) % alignof(T) == 0;
}
template <class T, index_t R, index_t K>
bool is_aligned(mat_view<T, R, K> m) {
    return reinterpret_cast<std::uintptr_t>(m.data()) % alignof(T) == 0;
}

// Vectors as arguments: every function taking a sample (or another vector it only reads) accepts
// a vec_view of any extent or a plain array, and turns it into the view below.
namespace detail {
template <class X>
struct vector_like {
    static constexpr bool value = false;
};
template <class T, index_t E>
struct vector_like<vec_view<T, E>> {
    static constexpr bool value = true;
    using element = std::remove_const_t<T>;
    static constexpr index_t extent = E;
};
template <class T, std::size_t M>
struct vector_like<T[M]> {
    static constexpr bool value = true;
    using element = T;  // remove_cv_t of const T[M] is T[M]
    static constexpr index_t extent = M;
};
template <class X>
using vector_like_t = vector_like<std::remove_cv_t<std::remove_reference_t<X>>>;
}  // namespace detail

// X is a vec_view (any element type and extent) or an array.
template <class X>
inline constexpr bool is_vector_like_v = detail::vector_like_t<X>::value;
// The element type of such an X, without const.
template <class X>
using element_of_t = typename detail::vector_like_t<X>::element;
// The read-only view of such an X: vec_view<const element, extent> (an array's extent is its size).
template <class X>
using const_view_t = vec_view<const element_of_t<X>, detail::vector_like_t<X>::extent>;

// x as a read-only view, without copying.
template <class X>
constexpr const_view_t<X> as_const_view(const X& x) {
    return const_view_t<X>(x);
}

}  // namespace twolayer
