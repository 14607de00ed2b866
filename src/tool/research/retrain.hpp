// One job of `twolayer retrain`: last-layer retraining with class weights on a class-conditional
// Gaussian mixture (the library's readout_ridge, or readout GD), one seed, every weight of the grid.
#pragma once
#include <string>
#include <vector>

#include "twolayer/model/activation.hpp"

#include "../job_runner.hpp"

namespace twolayer::tool::research {

constexpr long retrain_max_width = 1024;  ///< --P (readout_ridge's capacity)

/// What `twolayer retrain` was asked to do.
struct retrain_settings {
    long d = 20;                 ///< input dimension
    long n = 200;                ///< training samples
    double prior = 0.1;          ///< fraction of class +1 (the minority), in (0, 0.5]
    double separation = 2;       ///< |mu|: class means +-mu e_1
    bool trained = false;        ///< --first-layer trained (else random)
    long P = 50;                 ///< hidden units
    activation_id act = activation_id::erf;
    std::vector<double> weights; ///< w+ over the grid (w- = 1)
    double ridge = 1;            ///< lambda of the ridge problem (GD: weight decay lambda / n)
    bool gd = false;             ///< --solver gd (else ridge)
    long gd_steps = 2000;
    double gd_lr = 1;            ///< GD rate in units of 1 / (trace of the loss's Hessian)
    long pretrain_steps = 200;
    double pretrain_lr = 0.5;    ///< first-layer rate of the pretraining; second layer lr / P
    long test_samples = 10000;   ///< test samples per class
    unsigned long seed = 1;
    /// Training samples of class +1: round(prior n), at least 1 and at most n - 1.
    long positives() const;
};

/// Runs seed index s: CSV rows seed,weight,err_plus,err_minus,worst, one per weight; failed
/// (with a message) when a solve or a step is refused.
job_result run_retrain_job(const retrain_settings& s, long seed_index, job_progress& progress);

/// The weight where err_plus - err_minus changes sign along the grid (diff[i] at weights[i]):
/// the first i with diff[i] = 0 gives weights[i]; else the first sign change between i and i + 1,
/// interpolated linearly in log w. NaN when the sign never changes.
double balancing_weight(const std::vector<double>& weights, const std::vector<double>& diff);

}  // namespace twolayer::tool::research
