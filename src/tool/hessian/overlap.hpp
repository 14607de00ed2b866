// How much of an eigenvector lies in the teacher's directions: its first-layer block U (P x N)
// projected on the span of the teacher rows w*_1 .. w*_P*.
#pragma once
#include <vector>

#include "../sim/initial_weights.hpp"

namespace twolayer::tool::hessian {

/// An eigenvector's first-layer block, measured.
struct block_overlap {
    double overlap = 0;  ///< |U Pi|_F / |U|_F (NaN when U = 0)
    double weight = 0;   ///< |U|_F^2: the unit eigenvector's weight in the first layer
};

/// The span of the teacher rows, as an orthonormal basis (modified Gram-Schmidt, twice per row;
/// a row within 1e-12 of the span of the previous ones adds nothing).
class teacher_subspace {
public:
    explicit teacher_subspace(const initial_weights& w);
    /// The measures of U (P rows of N, row-major): Pi the orthogonal projector on the span,
    /// |U Pi|_F^2 = sum_k |Pi u_k|^2.
    block_overlap measure(const double* U, long P) const;
    /// The span's dimension (P* for teacher rows in general position).
    long rank() const { return long(basis_.size() / std::size_t(N_)); }

private:
    long N_;
    std::vector<double> basis_;  ///< rank() orthonormal rows of N
};

}  // namespace twolayer::tool::hessian
