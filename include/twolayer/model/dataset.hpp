// A fixed-size dataset: M samples of N inputs and their labels, stored in the object. S is the
// storage type of the network's format (storage_t<F>): samples and labels are stored as the
// network stores its inputs.
#pragma once
#include <type_traits>

#include "twolayer/core/storage.hpp"

namespace twolayer {

// A dataset as views (static or run-time extents): what the batch trainers read. Its buffers must
// be aligned for S (the kernels' requirement, core/view.hpp).
template <class S, index_t M, index_t N>
struct dataset_ref {
    using value_type = S;
    static constexpr index_t m_extent = M;
    static constexpr index_t n_extent = N;

    mat_view<const S, M, N> X;  // row mu = sample mu
    vec_view<const S, M> y;     // y[mu] = label of sample mu

    dataset_ref() = default;
    dataset_ref(mat_view<const S, M, N> X_, vec_view<const S, M> y_) : X(X_), y(y_) {}
    // A static reference converts to a dynamic one.
    template <index_t M2, index_t N2>
    dataset_ref(const dataset_ref<S, M2, N2>& o) : X(o.X), y(o.y) {}

    index_t samples() const { return X.rows(); }
    index_t inputs() const { return X.cols(); }
    // One label per sample (always true of a dataset's own reference; trainers refuse a
    // dataset_ref that fails it with step_status::size_mismatch).
    bool sizes_agree() const { return y.size() == X.rows(); }
    // Samples and labels aligned for S (core/view.hpp, is_aligned; step_status::misaligned_buffer).
    bool aligned() const { return is_aligned(X) && is_aligned(y); }
    // Sample mu (a view into X).
    vec_view<const S, N> sample(index_t mu) const { return X.row(mu); }
};

// M samples of N inputs and their labels, inside the object (no heap).
template <class S, index_t M, index_t N>
struct dataset {
    static_assert(M >= 1, "twolayer::dataset<S, M, N>: M (samples) must be at least 1");
    static_assert(N >= 1, "twolayer::dataset<S, M, N>: N (inputs) must be at least 1");
    mat<S, M, N> X;  // row mu = sample mu
    vec<S, M> y;     // labels

    static constexpr index_t samples() { return M; }
    static constexpr index_t inputs() { return N; }
    // Read-only views of the whole dataset (what to_ref gives).
    dataset_ref<S, M, N> ref() const { return {X.view(), y.view()}; }
    // Sample mu, writable (to fill it).
    vec_view<S, N> sample(index_t mu) { return X.view().row(mu); }
};

// Trainers take a dataset or a dataset_ref: to_ref gives the reference of either.
template <class S, index_t M, index_t N>
dataset_ref<S, M, N> to_ref(const dataset<S, M, N>& d) { return d.ref(); }
template <class S, index_t M, index_t N>
const dataset_ref<S, M, N>& to_ref(const dataset_ref<S, M, N>& d) { return d; }

namespace detail {
template <class D>
struct dataset_like : std::false_type {};
template <class S, index_t M, index_t N>
struct dataset_like<dataset<S, M, N>> : std::true_type {};
template <class S, index_t M, index_t N>
struct dataset_like<dataset_ref<S, M, N>> : std::true_type {};
}  // namespace detail

// D is a dataset or a dataset_ref.
template <class D>
inline constexpr bool is_dataset_v = detail::dataset_like<std::remove_cv_t<std::remove_reference_t<D>>>::value;

}  // namespace twolayer
