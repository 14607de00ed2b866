// Span-like views whose extents are static (device: every size is a constant) or dynamic
// (host tools: N and P from the command line). Kernels and trainers are written once against
// these views; a static extent costs nothing, a dynamic one is a size_t in the view.
#pragma once
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
    constexpr vec_view(T* data, index_t n) : size_base(n), data_(data) {}
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

// Row-major R x C matrix view with contiguous rows (row stride = cols).
template <class T, index_t R = dynamic_extent, index_t C = dynamic_extent>
class mat_view : private detail::extent_store<R, 0>, private detail::extent_store<C, 1> {
    using rows_base = detail::extent_store<R, 0>;
    using cols_base = detail::extent_store<C, 1>;

public:
    using value_type = T;
    static constexpr index_t row_extent = R;
    static constexpr index_t col_extent = C;

    constexpr mat_view() = default;
    constexpr mat_view(T* data, index_t rows, index_t cols) : rows_base(rows), cols_base(cols), data_(data) {}
    template <class U, index_t R2, index_t C2, class = decltype(static_cast<T*>(static_cast<U*>(nullptr)))>
    constexpr mat_view(mat_view<U, R2, C2> o) : rows_base(o.rows()), cols_base(o.cols()), data_(o.data()) {
        static_assert((R == dynamic_extent || R == R2) && (C == dynamic_extent || C == C2),
                      "mat_view: extents differ");
    }

    constexpr T* data() const { return data_; }
    constexpr index_t rows() const { return rows_base::get(); }
    constexpr index_t cols() const { return cols_base::get(); }
    constexpr index_t size() const { return rows() * cols(); }
    constexpr T& operator()(index_t i, index_t j) const { return data_[i * cols() + j]; }
    constexpr vec_view<T, C> row(index_t i) const { return {data_ + i * cols(), cols()}; }
    constexpr vec_view<T, (R == dynamic_extent || C == dynamic_extent) ? dynamic_extent : R * C>
    flat() const { return {data_, size()}; }

private:
    T* data_ = nullptr;
};

}  // namespace twolayer
