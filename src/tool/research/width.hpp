// The jobs of `twolayer width`: full-batch GD with weight decay on orthogonal data against the
// closed-form global minimum (one job per width and restart), and the subquadratic-width
// experiment (one job per n and restart: the smallest width of the grid that fits n random labels).
#pragma once
#include <string>
#include <vector>

#include "../job_runner.hpp"

namespace twolayer::tool::research {

/// What `twolayer width` was asked to do.
struct width_settings {
    long n = 8;                          ///< orthogonal points (N = n inputs)
    double lambda = 0.01;                ///< weight decay on both layers
    std::vector<long> widths{8, 32, 128, 512};
    double init_scale = 0.1;             ///< std of W and v entries (orthogonal experiment)
    long restarts = 10;
    double lr = 0.1;
    long steps = 20000;
    double tol = 1e-3;                   ///< relative distance to the optimum counted as global
    bool subquadratic = false;
    std::vector<long> ns{8, 16, 32, 64}; ///< --ns (subquadratic)
    long d = 16;                         ///< input dimension (subquadratic)
    double threshold = 1e-3;             ///< training loss to reach (subquadratic)
    unsigned long seed = 1;
    long jobs() const { return long(subquadratic ? ns.size() : widths.size()) * restarts; }
};

/// The global minimum over every width >= 2 of the penalized loss
///   F = (1/n) sum_i (f(x_i) - y_i)^2 / 2 + (lambda / 2) (|W|^2 + |v|^2)
/// of a ReLU network f(x) = sum_k v_k relu(w_k . x / sqrt n) on x_i = sqrt(n) e_i with m_plus
/// labels +1 and n - m_plus labels -1: sum over the two classes of
///   lambda sqrt(m) - n lambda^2 / 2   if n lambda < sqrt(m),   else m / (2 n)
/// (docs/TOOL.md, "width", derives it).
double orthogonal_optimum(long n, long m_plus, double lambda);

/// The labels of the orthogonal experiment: y_i = +1 for even i, -1 for odd i.
inline long orthogonal_positives(long n) { return (n + 1) / 2; }

/// Job j of the orthogonal experiment (width index j / restarts, restart j % restarts): a row
/// width,restart,loss,optimum,global. Of the subquadratic one (n index j / restarts): a row
/// n,restart,width_needed (empty when no width of the grid reached the threshold).
job_result run_width_job(const width_settings& s, long job, job_progress& progress);

}  // namespace twolayer::tool::research
