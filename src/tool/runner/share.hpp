// A share of the jobs: the jobs one process runs, and what came of them. Under MPI each rank runs
// a share (a static round-robin by job index), encodes its outcome as bytes for rank 0, and rank 0
// merges the shares back into job order. Pure functions: tested without MPI.
#pragma once
#include <exception>
#include <string>
#include <vector>

#include "../job_runner.hpp"

namespace twolayer::tool {

/// What one process made of its share. results[i] belongs to job jobs[i] (empty when the share
/// failed: its results are dropped). error: the exception of the lowest job index that threw,
/// that index in failed_job; or an error outside any job (failed_job -1, which sorts first);
/// no error: failed_job -1.
struct share_outcome {
    std::vector<long> jobs;
    std::vector<job_result> results;
    long failed_job = -1;
    std::exception_ptr error;
};

/// The jobs of rank `rank` among `ranks`: rank, rank + ranks, rank + 2 ranks, ... below count.
/// Every job is in exactly one share; shares differ in size by at most one job.
std::vector<long> round_robin_share(long count, int rank, int ranks);

/// The bytes rank 0 receives: jobs, results, and the error as its kind and what() (a usage_error
/// stays a usage_error on rank 0, so bad input found by a job still exits with code 2).
std::string encode_share(const share_outcome& s);

/// Reads what encode_share wrote; error becomes a usage_error or a std::runtime_error with the
/// original message. Throws std::runtime_error on bytes that are not such an encoding.
share_outcome decode_share(const std::string& bytes);

/// The results of jobs 0 .. count-1 in job order from every share. If a share failed, rethrows
/// the error of the lowest failed job index over all shares (the same one whatever the split,
/// when the same jobs fail). Throws std::logic_error if a job is missing or twice.
std::vector<job_result> merge_shares(long count, std::vector<share_outcome>& shares);

}  // namespace twolayer::tool
