#include "thread_pool.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

#include "progress_bar.hpp"

namespace twolayer::tool {

namespace {

// The state the workers share. Each worker writes only its own results slots and progress slot.
class pool_state {
public:
    pool_state(const std::vector<long>& jobs, const job_function& job, long workers)
        : jobs_(jobs), job_(job), results_(jobs.size()) {
        for (long w = 0; w < workers; ++w) slots_.emplace_back(&stop_);
    }

    // A worker: takes the next job until none is left or a job has failed.
    void work(long worker) {
        job_progress& slot = slots_[std::size_t(worker)];
        while (!stop_.load(std::memory_order_relaxed)) {
            const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
            if (i >= jobs_.size()) break;
            slot.set(0);
            try {
                results_[i] = job_(jobs_[i], slot);
            } catch (...) {
                record_failure(jobs_[i], std::current_exception());
            }
            slot.set(0);  // before counting it finished: the sampler may undercount, never count twice
            finished_.fetch_add(1, std::memory_order_release);
        }
    }

    void stop() { stop_.store(true); }

    // For the progress bar, from its own thread: atomics only.
    progress_monitor::counts sample() const {
        const long finished = finished_.load(std::memory_order_acquire);
        double running = 0;
        for (const job_progress& p : slots_) running += std::clamp(p.get(), 0.0, 1.0);
        return {double(finished) + running, finished};
    }

    // After every worker has joined.
    share_outcome outcome() && {
        share_outcome out;
        out.jobs = jobs_;
        if (error_) {
            out.failed_job = failed_job_;
            out.error = error_;
        } else {
            out.results = std::move(results_);
        }
        return out;
    }

private:
    void record_failure(long job, std::exception_ptr e) {
        std::lock_guard<std::mutex> lock(failure_mutex_);
        if (!error_ || job < failed_job_) {
            failed_job_ = job;
            error_ = e;
        }
        stop_.store(true);
    }

    const std::vector<long>& jobs_;
    const job_function& job_;
    std::vector<job_result> results_;
    std::deque<job_progress> slots_;  // a deque: job_progress holds an atomic and cannot move
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> next_{0};
    std::atomic<long> finished_{0};
    std::mutex failure_mutex_;
    long failed_job_ = -1;
    std::exception_ptr error_;
};

// Runs the workers: worker 0 on the calling thread, the others on new threads.
void run_workers(pool_state& state, long workers) {
    std::vector<std::thread> threads;
    try {
        for (long w = 1; w < workers; ++w) threads.emplace_back([&state, w] { state.work(w); });
    } catch (...) {  // a thread could not be created: stop the others, then report it
        state.stop();
        for (auto& t : threads) t.join();
        throw;
    }
    state.work(0);
    for (auto& t : threads) t.join();
}

}  // namespace

share_outcome run_share(const std::vector<long>& jobs, const job_function& job, long threads,
                        const progress_options* bar) {
    const long workers = std::clamp(threads, 1L, std::max(1L, long(jobs.size())));
    pool_state state(jobs, job, workers);
    if (!jobs.empty()) {
        std::unique_ptr<progress_monitor> monitor;
        if (bar)
            monitor = std::make_unique<progress_monitor>(bar->label, long(jobs.size()),
                                                         [&state] { return state.sample(); }, bar->out);
        run_workers(state, workers);
    }
    return std::move(state).outcome();
}

long usable_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    return std::max(1L, long(std::thread::hardware_concurrency()));
}

}  // namespace twolayer::tool
