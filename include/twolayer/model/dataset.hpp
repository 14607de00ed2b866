// A fixed-size dataset: M samples of N inputs and their labels, stored in the object.
#pragma once
#include "twolayer/core/storage.hpp"

namespace twolayer {

template <class T, index_t M, index_t N>
struct dataset_ref {
    mat_view<const T, M, N> X;  // row mu = sample mu
    vec_view<const T, M> y;

    dataset_ref() = default;
    dataset_ref(mat_view<const T, M, N> X_, vec_view<const T, M> y_) : X(X_), y(y_) {}
    template <index_t M2, index_t N2>
    dataset_ref(const dataset_ref<T, M2, N2>& o) : X(o.X), y(o.y) {}

    index_t samples() const { return X.rows(); }
    index_t inputs() const { return X.cols(); }
    vec_view<const T, N> sample(index_t mu) const { return X.row(mu); }
};

template <class T, index_t M, index_t N>
struct dataset {
    static_assert(M >= 1, "twolayer::dataset<T, M, N>: M (samples) must be at least 1");
    static_assert(N >= 1, "twolayer::dataset<T, M, N>: N (inputs) must be at least 1");
    mat<T, M, N> X;
    vec<T, M> y;

    static constexpr index_t samples() { return M; }
    static constexpr index_t inputs() { return N; }
    dataset_ref<T, M, N> ref() const { return {X.view(), y.view()}; }
    vec_view<T, N> sample(index_t mu) { return X.view().row(mu); }
};

}  // namespace twolayer
