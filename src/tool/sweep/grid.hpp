// The grid of `twolayer sweep`: which teachers, input dimensions, number formats, student widths
// and seeds, the training every run shares, and how a grid is numbered into jobs and shards. One
// job is one (teacher, N, P, seed): it trains that start in every format of the grid (and in
// double, the reference of steps_to_2x_double), so a job's rows need nothing from another job.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "twolayer/model/activation.hpp"
#include "../sim/settings.hpp"

namespace twolayer::tool::sweep {

/// One format of the grid as spelled in --formats: a format of `train` (format_names()), with
/// "+sr" for stochastic rounding or "+master" for a master copy (narrow formats only).
struct grid_format {
    std::string name;                ///< as spelled, e.g. "bf16+sr"
    std::string format;              ///< the tool's format name, e.g. "bf16"
    rounding_mode rounding = rounding_mode::nearest;
    bool master = false;
};

/// Parses "double,bf16+sr,q3_12+master"; throws usage_error naming `option` for an unknown
/// format, a suffix on float or double, or a repeat.
std::vector<grid_format> parse_formats(const std::string& text, const std::string& option);

/// Parses "erf,relu" (the activations with a closed-form eps_g: erf, relu); throws usage_error.
std::vector<activation_id> parse_teachers(const std::string& text, const std::string& option);

/// What every run of the grid shares, and the grid's axes.
struct grid {
    std::vector<activation_id> teachers;  ///< --teachers: the teacher's activation (the student's too)
    std::vector<long> Ns;                 ///< --N: input dimensions
    std::vector<grid_format> formats;     ///< --formats
    std::vector<long> widths;             ///< --widths: student hidden units P
    long seeds = 3;                       ///< --seeds: seed indices 0 .. seeds-1 (the job streams of `train`)
    unsigned long seed = 1;               ///< --seed: the base seed
    long P_star = 2;                      ///< teacher hidden units (fixed: the issue's task)
    double t_max = 500;                   ///< --t-max: steps / N
    double lr = 2;                        ///< --lr: both layers' rate (teacher-student scaling)
    double init_scale = 1e-3;             ///< --init-scale: the student's first layer
    long reports = 100;                   ///< --reports: log-spaced measurement times
    double plateau_t = 10;                ///< --plateau-t: where the plateau value is read
    double plateau_fraction = 0.1;        ///< --plateau-fraction: escape = below this fraction of it

    /// Jobs: teachers x Ns x widths x seeds, seed fastest.
    long jobs() const;
    /// A job's place on the axes: indices into teachers, Ns, widths, and the seed index.
    struct place {
        long teacher, N, width, seed;
    };
    /// The place of job j, and the job at a place (its inverse).
    place place_of(long job) const;
    long job_at(const place& p) const;
    /// The train settings of one run: job's teacher, N, width and seed, in format f.
    train_settings settings(long job, const grid_format& f) const;
    /// The seed index of a job (the `job` of train's seed streams).
    long seed_of(long job) const { return place_of(job).seed; }
    /// The total number of steps of every run at input dimension N.
    std::uint64_t steps(long N) const;
    /// Throws usage_error for what the options' own checks cannot see (plateau-t not below t-max,
    /// fewer than one step).
    void check() const;
    /// The one-line description of the grid, "# twolayer sweep grid: teachers=erf,relu ...", from
    /// which parse_grid_line() rebuilds it exactly (numbers with 17 digits).
    std::string line() const;
};

/// Rebuilds a grid from its line(); throws usage_error naming `source` (a file) when the line is
/// not one.
grid parse_grid_line(const std::string& line, const std::string& source);

/// A shard "i/n" of --shard: job j belongs to shard j mod n (round robin, so every shard gets
/// every kind of job: small and large N, narrow and wide students).
struct shard {
    long index = 0, count = 1;
    /// The jobs of this shard among `jobs`.
    std::vector<long> jobs_of(long jobs) const;
    /// "# shard i/n".
    std::string line() const;
};

/// Parses "i/n" (0 <= i < n <= 10^6); throws usage_error naming `option`.
shard parse_shard(const std::string& text, const std::string& option);

}  // namespace twolayer::tool::sweep
