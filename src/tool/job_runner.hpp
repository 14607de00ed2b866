// Independent jobs (chains, seeds, grid points) handed out to threads on one machine and, when the
// tool is built with MPI, to ranks across machines (mpirun, Slurm's srun). A job is a function of
// its index alone (it derives its seeds from the index), so results do not depend on the thread or
// rank count; rank 0 receives every job's result, in job order, and writes the one output.
#pragma once
#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace twolayer::tool {

/// What one job hands back: its CSV rows (complete lines, without the header), and whether it
/// failed (diverged, refused by the guard) with a one-line message naming the job.
struct job_result {
    std::string rows;
    bool failed = false;
    std::string message;
};

/// A job's way to report how far it is (for the progress bar); cheap, call it as often as you like.
class job_progress {
public:
    job_progress() = default;
    /// The runner's: stopping() reads `stop`, which the runner sets when another job has failed.
    explicit job_progress(const std::atomic<bool>* stop) : stop_(stop) {}
    job_progress(const job_progress&) = delete;
    job_progress& operator=(const job_progress&) = delete;

    /// fraction of this job done, in [0, 1]
    void set(double fraction) { done_.store(fraction, std::memory_order_relaxed); }
    double get() const { return done_.load(std::memory_order_relaxed); }
    /// True once another job has failed: the run will end with that failure and drop every result,
    /// so a long job may return early (whatever it returns then is discarded).
    bool stopping() const { return stop_ && stop_->load(std::memory_order_relaxed); }

private:
    std::atomic<double> done_{0};
    const std::atomic<bool>* stop_ = nullptr;
};

/// How to run the jobs.
struct runner_options {
    long threads = 0;          ///< worker threads per process; 0 = every core of the machine
    bool quiet = false;        ///< no progress bar (it is also off when stderr is not a terminal)
    std::string label = "";    ///< shown before the progress bar ("train", "ode")
};

/// A job: index in [0, count) to result.
using job_function = std::function<job_result(long job, job_progress& progress)>;

/// Runs jobs 0 .. count-1 and returns their results in job order on rank 0 (on other MPI ranks:
/// an empty vector; a command returns there without writing, see is_writer()). Exceptions thrown
/// by a job are rethrown on the calling thread (of rank 0): the first one stops the hand-out, and
/// the one rethrown is that of the lowest failed job index. The job function is called from
/// several threads at once (its captures must be safe to read concurrently).
///
/// Threads: options.threads workers per process, 0 = worker_threads(0). MPI (a build with MPI,
/// started by mpirun or srun with more than one rank): job j runs on rank j % ranks, each rank
/// on its own threads; rank 0 gathers every result. A failure on any rank lets every rank finish
/// its share and the gather, then rank 0 rethrows it (a usage_error stays a usage_error).
/// The progress bar: on rank 0's stderr when it is a terminal and not options.quiet.
std::vector<job_result> run_jobs(long count, const job_function& job, const runner_options& options);

/// True on the process that writes outputs (rank 0, or the only process without MPI).
bool is_writer();

/// The worker threads per process for --threads `requested`: requested itself when positive;
/// for 0, the cores this process may use (its CPU affinity: mpirun's binding, Slurm's
/// --cpus-per-task), at most the machine's cores divided by the MPI ranks on this machine.
long worker_threads(long requested);

}  // namespace twolayer::tool
