// run_jobs on threads (one process, no MPI session): results in job order and identical for any
// thread count with jobs of random lengths, failures that stop the hand-out, count 0.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "tool/job_runner.hpp"
#include "tool/usage_error.hpp"

namespace twolayer::tool {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finalizer
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// A job of a length drawn from its index (1 to 64 units of work): its rows depend on the index only.
job_result uneven_job(long j, job_progress& progress) {
    const long units = long(1 + mix(std::uint64_t(j)) % 64);
    std::uint64_t x = std::uint64_t(j);
    job_result r;
    for (long u = 0; u < units; ++u) {
        for (int i = 0; i < 2000; ++i) x = mix(x);
        progress.set(double(u + 1) / double(units));
        if (u % 16 == 0) r.rows += std::to_string(j) + "," + std::to_string(u) + "," + std::to_string(x) + "\n";
    }
    r.failed = j % 11 == 3;  // a diverged chain is a result, not an exception
    if (r.failed) r.message = "job " + std::to_string(j) + " diverged";
    return r;
}

runner_options threads(long n) {
    runner_options o;
    o.threads = n;
    o.quiet = true;
    return o;
}

TEST(RunJobs, ResultsInJobOrderAndIdenticalFor1To3Threads) {
    const long count = 97;
    std::vector<job_result> expected;
    for (long j = 0; j < count; ++j) {
        job_progress p;
        expected.push_back(uneven_job(j, p));
    }
    for (long t : {1L, 2L, 3L, 0L}) {
        const auto results = run_jobs(count, uneven_job, threads(t));
        ASSERT_EQ(results.size(), std::size_t(count)) << t << " threads";
        for (long j = 0; j < count; ++j) {
            EXPECT_EQ(results[std::size_t(j)].rows, expected[std::size_t(j)].rows) << "job " << j << ", " << t << " threads";
            EXPECT_EQ(results[std::size_t(j)].failed, expected[std::size_t(j)].failed);
            EXPECT_EQ(results[std::size_t(j)].message, expected[std::size_t(j)].message);
        }
    }
}

// Blocks until `n` callers have arrived (a timeout keeps a broken pool from hanging the test).
class meeting {
public:
    explicit meeting(int n) : n_(n) {}
    bool arrive_and_wait() {
        std::unique_lock<std::mutex> lock(m_);
        ++arrived_;
        cv_.notify_all();
        return cv_.wait_for(lock, std::chrono::seconds(60), [this] { return arrived_ >= n_; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    int n_, arrived_ = 0;
};

TEST(RunJobs, RunsTheRequestedWorkersAtOnce) {
    meeting all3(3);
    std::mutex m;
    std::set<std::thread::id> ids;
    const auto results = run_jobs(
        3,
        [&](long j, job_progress&) {
            {
                std::lock_guard<std::mutex> lock(m);
                ids.insert(std::this_thread::get_id());
            }
            job_result r;
            r.failed = !all3.arrive_and_wait();  // only three concurrent jobs get past this
            r.rows = std::to_string(j);
            return r;
        },
        threads(3));
    for (const auto& r : results) EXPECT_FALSE(r.failed) << "the three jobs did not run at the same time";
    EXPECT_EQ(ids.size(), 3u);
}

TEST(RunJobs, AnExceptionPropagatesAndStopsTheHandOut) {
    for (long t : {1L, 2L, 3L}) {
        std::atomic<long> started{0};
        try {
            run_jobs(
                1000,
                [&](long j, job_progress& progress) {
                    ++started;
                    if (j == 5) throw std::runtime_error("job 5 failed");
                    // a job after 5 ends only once the run is stopping (timeout: a hang guard)
                    for (int i = 0; j > 5 && i < 60000 && !progress.stopping(); ++i)
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    return job_result{};
                },
                threads(t));
            FAIL() << "no exception";
        } catch (const std::runtime_error& e) {
            EXPECT_STREQ(e.what(), "job 5 failed");
        }
        // jobs 0..5, and at most one job after 5 per other worker: it ends once the run stops,
        // and its worker then takes no other
        EXPECT_LE(started.load(), 6 + (t - 1)) << t << " threads";
        EXPECT_GE(started.load(), 6);
    }
}

TEST(RunJobs, TheExceptionKeepsItsType) {
    EXPECT_THROW(run_jobs(4, [](long j, job_progress&) -> job_result {
        if (j == 2) throw usage_error("--data", "y.npy", "2 rows, expected 3");
        return {};
    }, threads(2)),
                 usage_error);
}

TEST(RunJobs, TheLowestFailedJobIsRethrownWhenTwoFail) {
    std::atomic<bool> second_threw{false};
    try {
        run_jobs(
            2,
            [&](long j, job_progress& progress) -> job_result {
                if (j == 1) {
                    second_threw = true;
                    throw std::runtime_error("job 1 failed");
                }
                // job 0 fails after job 1 did, and sees the run stopping
                for (int i = 0; i < 60000 && !progress.stopping(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                throw std::runtime_error(second_threw && progress.stopping() ? "job 0 failed" : "job 0 never saw job 1 fail");
            },
            threads(2));
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "job 0 failed");
    }
}

TEST(RunJobs, CountZeroRunsNothing) {
    bool called = false;
    EXPECT_TRUE(run_jobs(0, [&](long, job_progress&) { return called = true, job_result{}; }, threads(2)).empty());
    EXPECT_FALSE(called);
    EXPECT_THROW(run_jobs(-1, uneven_job, threads(2)), std::invalid_argument);
}

TEST(RunJobs, MoreThreadsThanJobs) {
    const auto results = run_jobs(2, uneven_job, threads(64));
    ASSERT_EQ(results.size(), 2u);
    job_progress p;
    EXPECT_EQ(results[1].rows, uneven_job(1, p).rows);
}

TEST(RunJobs, OneProcessWritesAndThreadsDefaultToTheCores) {
    EXPECT_TRUE(is_writer());
    EXPECT_EQ(worker_threads(5), 5);
    EXPECT_GE(worker_threads(0), 1);
    EXPECT_LE(worker_threads(0), long(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace twolayer::tool
