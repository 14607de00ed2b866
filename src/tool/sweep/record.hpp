// The rows of the sweep's CSV: one per run (kind "run": a configuration and a seed) and, per
// configuration, its median, min and max over the seeds (kinds "median", "min", "max"), all with
// the same columns. A row is text as the CSV holds it; figures are parsed back from that text, so
// aggregates computed from a merged set of shards are those of the unsharded run, bit for bit.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace twolayer::tool::sweep {

/// The CSV's column line.
extern const char* const csv_header;

/// One row. "never" (no measured step reached it) is +inf in steps_to_2x_double and escape_t.
struct record {
    std::string kind = "run";  ///< run, median, min, max
    std::string teacher;       ///< the teacher's (and student's) activation
    long N = 0, P = 0;
    std::string format;        ///< as in --formats
    long seed = -1;            ///< the seed index; -1 (an empty field) in aggregates
    double eps_g = 0;          ///< the final generalization error
    double steps_to_2x_double = 0;  ///< the first measured step with eps_g <= 2 x double's final eps_g
    double escape_t = 0;       ///< the plateau escape time (docs/TOOL.md, "sweep")
    double refused_fraction = 0;    ///< refused steps / steps
    double ram_bytes = 0;      ///< network + trainer + master + samples (ram.hpp)
    double steps = 0;          ///< steps of the run
    double ns_per_step = 0;    ///< host wall time per step (a measurement: differs run to run)
};

/// The CSV line of r (with its newline): 17 significant digits, "never" for +inf, ns_per_step
/// with one decimal.
std::string to_row(const record& r);

/// Parses one CSV line (without its newline); throws usage_error naming `source` when it does not
/// have the columns of csv_header.
record parse_row(const std::string& line, const std::string& source);

/// The median, min and max rows of runs (one configuration, every seed): per column over the
/// seeds, "never" counted as larger than any number (the median of an even count is the mean of
/// the middle two, "never" if either is).
std::vector<record> aggregate(const std::vector<record>& runs);

}  // namespace twolayer::tool::sweep
