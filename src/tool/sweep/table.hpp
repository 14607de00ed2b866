// The sweep's outputs from its run records: the CSV (the grid line, the header, every run in the
// grid's order, then each configuration's median, min and max), a shard's partial CSV, the
// Markdown table; and the check that a set of runs is exactly the grid's (for --merge).
#pragma once
#include <string>
#include <vector>

#include "grid.hpp"
#include "record.hpp"

namespace twolayer::tool::sweep {

/// Sorts runs into the grid's order (teacher, N, format, P, seed, as listed in the grid) after
/// checking that they are runs of g, among `expected_jobs` (every job: all of them; a shard: its
/// jobs), each exactly once. Throws usage_error naming `source` for a row of another grid, a
/// duplicate or a missing run (the first one found, and how many).
void order_runs(const grid& g, const std::vector<long>& expected_jobs, std::vector<record>& runs, const std::string& source);

/// The complete CSV: g.line(), csv_header, the runs (ordered), then per configuration its median,
/// min and max rows in the same order.
std::string csv_text(const grid& g, const std::vector<record>& runs);

/// A shard's CSV: g.line(), s.line(), csv_header, its runs (ordered); no aggregates (a shard may
/// hold some seeds of a configuration only).
std::string shard_text(const grid& g, const shard& s, const std::vector<record>& runs);

/// The Markdown table: one row per configuration, median [min, max] of eps_g, the medians of the
/// other figures, RAM and host ns per step.
std::string markdown_text(const grid& g, const std::vector<record>& runs);

}  // namespace twolayer::tool::sweep
