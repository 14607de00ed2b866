// `twolayer sweep` without its command line: the grid's jobs (or one shard's) through the job
// runner, written as one CSV and optionally a Markdown table; and --merge, the shards' CSVs
// checked against their grid and written as the unsharded run would have written them.
#pragma once
#include <string>
#include <vector>

#include "grid.hpp"

namespace twolayer::tool::sweep {

/// Where the outputs go and how the jobs run.
struct output_options {
    std::string out;       ///< --out: the CSV ("" = standard output)
    std::string markdown;  ///< --markdown: the table ("" = none; "-" = standard output, after the CSV)
    long threads = 0;
    bool quiet = false;
};

/// Runs the grid (its shard `s` only when s.count > 1) and writes the CSV (a shard's partial one)
/// and the table (not for a shard). Checks the grid and opens the files before any work. 0 on
/// success.
int run_sweep(const grid& g, const shard& s, const output_options& o);

/// Reads the shard CSVs `files`, checks that they are the shards 0 .. n-1 of one grid, each
/// once, holding exactly their runs, and writes the CSV and table of the whole grid. Bad input
/// (another grid, a missing or repeated shard or run): usage_error, no file written.
int merge_shards(const std::vector<std::string>& files, const output_options& o);

}  // namespace twolayer::tool::sweep
