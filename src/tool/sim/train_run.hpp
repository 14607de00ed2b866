// `train` without its command line: one chain as a job of the runner (its CSV rows at the report
// times), and the whole run (every chain through run_jobs, the CSV written atomically).
#pragma once
#include <string>

#include "../job_runner.hpp"
#include "settings.hpp"

namespace twolayer::tool {

/// The CSV columns of train, one row per report time and chain:
///   chain, t (steps / N), eps_g, train_loss (online: the mean loss of the steps since the previous
///   row, NaN at t = 0; GD: the loss on the dataset), eps_g_se (Monte Carlo's standard error, 0 for
///   the closed form), step (steps done), refused (1 on the row of a refused step, else 0).
extern const char* const train_csv_header;

/// Job j of a train run: chain j from its initial weights to t-max. A refused step ends it: the
/// rows so far, a last row at the refused step (refused = 1), failed, and the message
/// "chain j: step S (t = T): <the guard's status>", S counting from 0.
job_result run_train_chain(const train_settings& s, long job, job_progress& progress);

/// Runs every chain (runner options from r) and writes the CSV to r.out (atomic) or stdout.
/// First reads the .npy inputs (read_file_inputs), checks the settings, opens the output file and
/// creates the output directories, so bad input fails before any work and leaves no file. Returns 0, or 1 when a chain was refused (its message
/// on stderr; the CSV holds every row written).
int run_train(train_settings s, const run_options& r);

}  // namespace twolayer::tool
