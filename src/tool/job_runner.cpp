// The runner: this process's share of the jobs on its threads (runner/thread_pool), the shares of
// the MPI ranks gathered on rank 0 (runner/mpi_world) and merged into job order (runner/share).
// With one rank the share is every job and nothing is sent.
#include "job_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "runner/mpi_world.hpp"
#include "runner/share.hpp"
#include "runner/thread_pool.hpp"

namespace twolayer::tool {

namespace {

bool draws_progress(const runner_options& options) {
    return !options.quiet && world_rank() == 0 && isatty(fileno(stderr));
}

// Rank 0 sees only its own share's progress; the label says so.
std::string progress_label(const runner_options& options) {
    if (world_size() == 1) return options.label;
    return options.label + (options.label.empty() ? "" : " ") + "[rank 0's share, " + std::to_string(world_size()) +
           " ranks]";
}

// A share that failed outside any job (a thread that could not start, memory): failed_job -1, so
// it is the failure reported, and no rank skips the exchange that the others wait in.
share_outcome failed_share(const std::vector<long>& jobs, std::exception_ptr error) {
    share_outcome failed;
    failed.jobs = jobs;
    failed.failed_job = -1;
    failed.error = std::move(error);
    return failed;
}

share_outcome run_my_share(const std::vector<long>& mine, const job_function& job, const runner_options& options) {
    progress_options bar{progress_label(options), stderr};
    try {
        return run_share(mine, job, worker_threads(options.threads), draws_progress(options) ? &bar : nullptr);
    } catch (...) {
        return failed_share(mine, std::current_exception());
    }
}

// The bytes a rank sends: its outcome, or, should encoding itself fail, just that error.
std::string encode_for_root(const share_outcome& outcome) {
    try {
        return encode_share(outcome);
    } catch (...) {
        return encode_share(failed_share(outcome.jobs, std::current_exception()));
    }
}

}  // namespace

std::vector<job_result> run_jobs(long count, const job_function& job, const runner_options& options) {
    if (count < 0) throw std::invalid_argument("run_jobs: a negative job count");
    if (count == 0) return {};
    const int ranks = world_size(), rank = world_rank();
    std::vector<long> mine;
    if (ranks == 1) {
        mine.resize(std::size_t(count));
        std::iota(mine.begin(), mine.end(), 0L);
    } else {
        mine = round_robin_share(count, rank, ranks);
    }
    share_outcome outcome = run_my_share(mine, job, options);

    std::vector<share_outcome> shares;
    if (ranks > 1) {
        const std::vector<std::string> received = gather_to_root(rank == 0 ? std::string() : encode_for_root(outcome));
        if (rank != 0) return {};
        shares.push_back(std::move(outcome));
        for (std::size_t r = 1; r < received.size(); ++r) shares.push_back(decode_share(received[r]));
    } else {
        shares.push_back(std::move(outcome));
    }
    return merge_shares(count, shares);
}

bool is_writer() { return world_rank() == 0; }

long worker_threads(long requested) {
    if (requested > 0) return requested;
    const long cores = usable_cores();
    const long machine = std::max(cores, long(std::thread::hardware_concurrency()));
    return std::max(1L, std::min(cores, machine / std::max(1, ranks_on_this_node())));
}

}  // namespace twolayer::tool
