// Population gradient descent (no samples): the student descends the closed-form population loss
// of analysis/population.hpp against its teacher, then its end point is classified from the loss
// and the population Hessian's extreme eigenvalues. One restart is one job of the runner.
#pragma once
#include <string>
#include <vector>

#include "../job_runner.hpp"
#include "../sim/initial_weights.hpp"
#include "twolayer/model/activation.hpp"

namespace twolayer::tool::population_gd {

/// What `twolayer population` runs: the activation, the descent and the classification.
struct settings {
    activation_id act = activation_id::relu;
    double lr = 0.25;          ///< W -= lr N grad_W (the ODE's time scale: Q moves O(lr) per step)
    long max_steps = 20000;    ///< at most this many steps
    double grad_tol = 1e-9;    ///< stop once max |N grad| < grad_tol
    bool train_v = false;      ///< descend on v too (v -= lr grad_v)
    double global_tol = 1e-7;  ///< a loss below this is a global minimum
    double hessian_step = 1e-4;  ///< the step of the Hessian's central differences
};

/// Where a restart ended.
enum class end_class { global_minimum, spurious_minimum, saddle, not_converged, diverged };
/// The CSV spelling: global, spurious_minimum, saddle, not_converged, diverged.
const char* name_of(end_class c);

/// One restart's end point.
struct outcome {
    double loss = 0;
    double min_eig = 0, max_eig = 0;  ///< extreme eigenvalues of the population Hessian there
    double hessian_error = 0;         ///< the Hessian's estimated entry error (Richardson)
    std::vector<double> eigenvalues;  ///< every eigenvalue of the Hessian there, ascending
    double grad_norm = 0;             ///< max |N grad| at the end
    long steps = 0;                   ///< steps taken
    end_class cls = end_class::not_converged;
};

/// Descends from w (its W, v; teacher W_star, v_star) until the loss is below global_tol, the
/// gradient below grad_tol or the steps run out, reporting progress, and classifies the end:
/// global if loss < global_tol; diverged if the loss stopped being finite (the step was too large);
/// else not_converged if the gradient is still above 100 grad_tol;
/// else saddle if min_eig < -eig_tol, a spurious minimum otherwise, with
/// eig_tol = max(1e-6 max |eig|, 100 hessian_error). w is left at the end point.
outcome descend_and_classify(initial_weights& w, const settings& s, job_progress& progress);

}  // namespace twolayer::tool::population_gd
