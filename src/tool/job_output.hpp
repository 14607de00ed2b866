// The last step every job-runner command shares: its CSV header and every job's rows, in job
// order, to the --out file (committed only when written in full) or to standard output, and one
// line on stderr per failed job.
#pragma once
#include <optional>
#include <vector>

#include "atomic_file.hpp"
#include "job_runner.hpp"

namespace twolayer::tool {

/// Writes `header` and the rows of `results` to `file` (standard output when empty), reports each
/// failed job as "twolayer <command>: <message>" on stderr, then commits the file (or flushes
/// standard output). Returns 1 when a job failed, else 0: the rows of every job are kept either
/// way, a failed job's included (it wrote those before it failed).
int write_job_rows(std::optional<atomic_file>& file, const char* header, const std::vector<job_result>& results,
                   const char* command);

}  // namespace twolayer::tool
