// A synthetic CPU-bound run through run_jobs, under the same mpi_session as the tool's main: the
// MPI identity test runs it alone and under mpirun and compares the bytes of its output; the
// speed-up benchmark of docs/SCALING.md times it. Job j's rows depend on j alone (integer
// arithmetic, no floating point), its length on j too (1 to 8 units: jobs differ in length).
//   runner_probe [--jobs N] [--work W] [--threads T] [--fail-job J [--fail-usage]] [--time]
// Output: the rows on the writer's stdout; on stderr "runner_probe: R ranks" (and the wall time).
// Exit codes as the tool's: 0, 1 a job failed, 2 a usage_error.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "tool/job_runner.hpp"
#include "tool/runner/mpi_world.hpp"
#include "tool/usage_error.hpp"

namespace {

using namespace twolayer::tool;

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finalizer
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

struct probe_options {
    long jobs = 24, work = 100000, threads = 0, fail_job = -1;
    bool fail_usage = false, time = false;
};

// Job j: 1..8 units of `work` hash rounds each, a row per unit.
job_result probe_job(const probe_options& o, long j, job_progress& progress) {
    if (j == o.fail_job) {
        if (o.fail_usage) throw usage_error("--fail-job", std::to_string(j), "job " + std::to_string(j) + " refused");
        throw std::runtime_error("job " + std::to_string(j) + " failed");
    }
    const long units = long(1 + mix(std::uint64_t(j) ^ 0x5eed) % 8);
    std::uint64_t x = std::uint64_t(j);
    job_result r;
    char row[64];
    for (long u = 0; u < units; ++u) {
        for (long i = 0; i < o.work; ++i) x = mix(x);
        std::snprintf(row, sizeof row, "%ld,%ld,%016llx\n", j, u, (unsigned long long)x);
        r.rows += row;
        progress.set(double(u + 1) / double(units));
    }
    return r;
}

int run(const probe_options& o) {
    if (is_writer()) std::fprintf(stderr, "runner_probe: %d ranks\n", world_size());
    runner_options ro;
    ro.threads = o.threads;
    ro.label = "probe";
    const auto start = std::chrono::steady_clock::now();
    const auto results = run_jobs(o.jobs, [&o](long j, job_progress& p) { return probe_job(o, j, p); }, ro);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!is_writer()) return 0;
    for (const auto& r : results) std::fputs(r.rows.c_str(), stdout);
    if (o.time) std::fprintf(stderr, "runner_probe: %ld jobs in %.3f s\n", o.jobs, seconds);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    twolayer::tool::mpi_session mpi(argc, argv);
    CLI::App app{"synthetic jobs through the twolayer job runner"};
    probe_options o;
    app.add_option("--jobs", o.jobs)->check(CLI::Range(0L, 1000000L));
    app.add_option("--work", o.work)->check(CLI::Range(0L, 1000000000000L));
    app.add_option("--threads", o.threads)->check(CLI::Range(0L, 4096L));
    app.add_option("--fail-job", o.fail_job);
    app.add_flag("--fail-usage", o.fail_usage);
    app.add_flag("--time", o.time);
    CLI11_PARSE(app, argc, argv);
    try {
        return run(o);
    } catch (const usage_error& e) {
        std::fprintf(stderr, "runner_probe: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "runner_probe: %s\n", e.what());
        return 1;
    }
}
