// A first, sequential implementation of the runner (one thread, no MPI, no progress bar): the
// interface the commands program against. The threaded and MPI runner replaces this file.
#include "job_runner.hpp"

namespace twolayer::tool {

std::vector<job_result> run_jobs(long count, const job_function& job, const runner_options&) {
    std::vector<job_result> results;
    results.reserve(std::size_t(count));
    for (long j = 0; j < count; ++j) {
        job_progress p;
        results.push_back(job(j, p));
    }
    return results;
}

bool is_writer() { return true; }

}  // namespace twolayer::tool
