// One job of the sweep: one (teacher, N, P, seed) trained in every format of the grid from the
// same initial weights and sample streams, plus double as the reference of steps_to_2x_double
// when the grid has no double; its rows ("run" records), one per format in the grid's order.
#pragma once
#include "../job_runner.hpp"
#include "grid.hpp"

namespace twolayer::tool::sweep {

/// The CSV rows of job `job` of g (job_result::rows: to_row of each format's record).
job_result run_sweep_job(const grid& g, long job, job_progress& progress);

}  // namespace twolayer::tool::sweep
