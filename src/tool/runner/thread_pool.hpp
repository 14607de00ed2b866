// One process's share of the jobs on a pool of worker threads: dynamic hand-out from an atomic
// counter (jobs differ in length, so a free worker takes the next job), each result stored at its
// job's place, so the order of the results never depends on the schedule.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "../job_runner.hpp"
#include "share.hpp"

namespace twolayer::tool {

/// Where and under which label to draw the progress bar; the pool draws none without one.
struct progress_options {
    std::string label;
    std::FILE* out = stderr;
};

/// Runs jobs[0], jobs[1], ... on min(threads, jobs.size()) workers (the calling thread is one of
/// them) and returns their results in the order of `jobs`. The first exception stops the hand-out
/// (running jobs finish; job_progress::stopping() tells them to hurry); the outcome then holds the
/// exception of the lowest failed job index and no results. threads < 1 counts as 1. The job
/// function is called from several threads at once: it must be safe to do so.
share_outcome run_share(const std::vector<long>& jobs, const job_function& job, long threads,
                        const progress_options* bar);

/// The cores this process may run on (its CPU affinity mask: mpirun's binding, Slurm's
/// --cpus-per-task, taskset), else std::thread::hardware_concurrency(); at least 1.
long usable_cores();

}  // namespace twolayer::tool
