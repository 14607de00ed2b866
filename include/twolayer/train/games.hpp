// The game objectives of gradient descent-ascent (train/gda.hpp): a game knows L(u, v) only
// through the two players' outputs u_i = F(z_i), v_i = G(z_i) on M fixed inputs.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "twolayer/core/view.hpp"
#include "twolayer/model/network.hpp"

namespace twolayer {

// A game is a type with
//   using value_type = T;                           // float or double: the objective's arithmetic
//   index_t size() const;                           // M, the number of inputs it is defined on
//   T value(vec_view<const T> u, vec_view<const T> v) const;            // L(u, v)
//   void gradient_u(vec_view<const T> u, vec_view<const T> v, vec_view<T> du) const;  // dL/du_i
//   void gradient_v(vec_view<const T> u, vec_view<const T> v, vec_view<T> dv) const;  // dL/dv_i
//   T distance(vec_view<const T> u, vec_view<const T> v) const;         // to the equilibrium
// It need not check finiteness: the trainer refuses a non-finite value or derivative
// (nonfinite_output), which is how a NaN in a game's coefficients is caught.

namespace detail {
// The pieces both shipped games share: (B v)_i, (B^T u)_i, u^T B v (index order), and the
// distance sqrt(|u|^2 + |v|^2) to their common equilibrium u = v = 0.
template <class T, index_t M>
struct bilinear_coupling {
    mat_view<const T, M, M> B;  // M x M, caller storage, row i couples u_i to v

    index_t size() const { return B.data() ? B.rows() : 0; }  // 0 without a B
    T bv(vec_view<const T> v, index_t i) const {
        T s(0);
        for (index_t j = 0; j < v.size(); ++j) s += B(i, j) * v[j];
        return s;
    }
    T btu(vec_view<const T> u, index_t j) const {
        T s(0);
        for (index_t i = 0; i < u.size(); ++i) s += B(i, j) * u[i];
        return s;
    }
    T coupling(vec_view<const T> u, vec_view<const T> v) const {
        T s(0);
        for (index_t i = 0; i < u.size(); ++i) s += u[i] * bv(v, i);
        return s;
    }
    static T squared_norm(vec_view<const T> x) {
        T s(0);
        for (index_t i = 0; i < x.size(); ++i) s += x[i] * x[i];
        return s;
    }
    T distance(vec_view<const T> u, vec_view<const T> v) const {
        return math::sqrt(squared_norm(u) + squared_norm(v));
    }
};
}  // namespace detail

// The hidden convex-concave game L(u, v) = 0.5 |u|^2 - 0.5 |v|^2 + u^T B v: strongly convex in
// the outputs u, strongly concave in v, for any B; the unique equilibrium is u = v = 0. "Hidden":
// convex-concave in the players' outputs, not in their weights. B: M x M, the caller's storage.
template <class T, index_t M = dynamic_extent>
struct hidden_convex_concave_game : detail::bilinear_coupling<T, M> {
    using value_type = T;
    using base = detail::bilinear_coupling<T, M>;
    hidden_convex_concave_game() = default;  // no B yet (size 0: a step refuses it, size_mismatch)
    explicit hidden_convex_concave_game(mat_view<const T, M, M> b) : base{b} {}

    T value(vec_view<const T> u, vec_view<const T> v) const {
        return T(0.5) * (base::squared_norm(u) - base::squared_norm(v)) + base::coupling(u, v);
    }
    // dL/du = u + B v
    void gradient_u(vec_view<const T> u, vec_view<const T> v, vec_view<T> du) const {
        for (index_t i = 0; i < u.size(); ++i) du[i] = u[i] + base::bv(v, i);
    }
    // dL/dv = -v + B^T u
    void gradient_v(vec_view<const T> u, vec_view<const T> v, vec_view<T> dv) const {
        for (index_t j = 0; j < v.size(); ++j) dv[j] = base::btu(u, j) - v[j];
    }
};

// The bilinear game L(u, v) = u^T B v, equilibrium u = v = 0 (for B nonsingular): the classic
// case where simultaneous GDA spirals out and alternating GDA stays bounded for small rates.
template <class T, index_t M = dynamic_extent>
struct bilinear_game : detail::bilinear_coupling<T, M> {
    using value_type = T;
    using base = detail::bilinear_coupling<T, M>;
    bilinear_game() = default;  // no B yet (size 0: a step refuses it, size_mismatch)
    explicit bilinear_game(mat_view<const T, M, M> b) : base{b} {}

    T value(vec_view<const T> u, vec_view<const T> v) const { return base::coupling(u, v); }
    // dL/du = B v
    void gradient_u(vec_view<const T> u, vec_view<const T> v, vec_view<T> du) const {
        for (index_t i = 0; i < u.size(); ++i) du[i] = base::bv(v, i);
    }
    // dL/dv = B^T u
    void gradient_v(vec_view<const T> u, vec_view<const T> v, vec_view<T> dv) const {
        for (index_t j = 0; j < v.size(); ++j) dv[j] = base::btu(u, j);
    }
};

}  // namespace twolayer
