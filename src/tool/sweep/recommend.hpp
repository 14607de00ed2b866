// `twolayer recommend`: from a sweep CSV (its median rows), the cheapest configurations that
// meet a device's budgets, or, when none does, each budget that cannot be met and the nearest
// miss. The CSV is read by column name: the sweep's own columns (eps_g, ram_bytes) and, where the
// device figures were joined in, flash_bytes_<device> and insns_per_step_<device>.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

namespace twolayer::tool::sweep {

/// What recommend is asked. A budget of 0 is not set (flash, insns); ram and error are required.
struct budgets {
    std::string csv, device;
    std::string teacher;  ///< "" = every teacher in the CSV
    long N = 0;           ///< 0 = every N in the CSV
    double flash = 0, ram = 0, error = 0, insns_per_step = 0;
    long top = 5;         ///< at most this many configurations printed
};

/// The devices whose figures a sweep CSV may carry.
const std::vector<std::string>& device_names();

/// Reads b.csv and prints the answer to `to`. Returns 0 when some configuration meets every
/// budget, 1 when none does. Throws usage_error for a CSV that cannot be read or lacks a column a
/// budget needs (naming that budget's option), or filters that select no row.
int recommend(const budgets& b, std::FILE* to);

}  // namespace twolayer::tool::sweep
