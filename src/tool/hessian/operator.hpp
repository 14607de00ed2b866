// The empirical Hessian of `twolayer hessian` as an operator of run-time size: the library's
// hessian_vector_product (analysis/hvp.hpp) on a double host_network and a dataset_ref with
// dynamic extents (hessian_operator needs static sizes), in the coordinates of the active blocks
// only, so Lanczos runs on exactly the restricted Hessian's dimension.
#pragma once
#include <memory>

#include "twolayer/analysis/hvp.hpp"

#include "instance.hpp"

namespace twolayer::tool::hessian {

/// H of L = (1/M) sum_mu (yhat(x_mu) - y_mu)^2 / 2 over the active blocks (first layer W
/// row-major, then v), the student of inst with activation act (no biases). Keeps a reference
/// to inst, which must outlive it. Not copyable.
class empirical_hessian {
public:
    empirical_hessian(const instance& inst, activation_id act, hessian_blocks blocks);
    ~empirical_hessian();
    empirical_hessian(const empirical_hessian&) = delete;
    empirical_hessian& operator=(const empirical_hessian&) = delete;

    /// The number of active coordinates (P N with the first layer, plus P with the second).
    index_t dimension() const { return index_t(active_.size()); }

    /// out = H in (dimension() values each). Throws std::logic_error if the library refuses the
    /// product (sizes or alignment: a bug here, not bad input).
    void operator()(vec_view<const double> in, vec_view<double> out);

    /// The body behind operator(), one per activation (operator.cpp): full flat vectors.
    struct body {
        virtual ~body() = default;
        virtual analysis_status product(const double* in, double* out) = 0;
    };

private:
    std::unique_ptr<body> body_;
    std::vector<index_t> active_;  ///< flat index of each active coordinate (W's come first)
    std::vector<double> in_, out_;  ///< the full flat vectors
};

}  // namespace twolayer::tool::hessian
