// What `twolayer hessian` was asked to do, after the command line is parsed and checked
// (commands/hessian.cpp): the model, the alpha grid, the seeds, the spectrum wanted, and the
// arrays read from files (read once, before any job, so a bad file is bad input).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "twolayer/analysis/hvp.hpp"

#include "../common_options.hpp"
#include "../sim/initial_weights.hpp"

namespace twolayer::tool::hessian {

/// The options of one `twolayer hessian` run.
struct settings {
    model_options model;
    std::string init = "sphere";              ///< --init: sphere (rows rescaled to norm sqrt N) or gaussian
    std::string teacher_units = "gaussian";   ///< --teacher-units: gaussian or orthonormal (sqrt N e_n)
    std::vector<double> alphas{2.0};          ///< --alpha or --scan-alpha: M = max(1, round(alpha N))
    long seeds = 1;                           ///< --seeds: seed indices 0 .. seeds-1 at every alpha
    long k = 3;                               ///< --k: extreme eigenpairs at each end
    long lanczos_steps = 100;                 ///< --lanczos-steps (capped at the dimension)
    hessian_blocks blocks{true, false, false};  ///< --blocks (biases never: the network has none)
    bool density = false;                     ///< --density given: run SLQ
    long slq_vectors = 10;                    ///< --slq-vectors: Rademacher probes
    long slq_steps = 60;                      ///< --slq-steps per probe (capped at the dimension)
    bool ritz_values = false;                 ///< --eigenvalues given: keep every Ritz value
    std::shared_ptr<const initial_weights> weights;  ///< --init-from's arrays (null: drawn)
    std::shared_ptr<const std::vector<double>> inputs;  ///< --inputs' M x N array (null: drawn)

    /// The dimension of the Hessian: P N with the first layer, plus P with the second.
    long dimension() const { return (blocks.first_layer ? model.P * model.N : 0) + (blocks.second_layer ? model.P : 0); }
    /// The number of jobs: one per (alpha, seed index), alpha-major.
    long jobs() const { return long(alphas.size()) * seeds; }
    /// The number of samples at alpha: M = round(alpha N), at least 1 (or the rows of --inputs).
    long samples_at(double alpha) const;
};

}  // namespace twolayer::tool::hessian
