// The initial weights of job (chain) j, drawn in double from seed streams that depend on
// (seed, j) alone: `train` loads them into the student and teacher in its number format, and
// `ode` integrates from their order parameters, so the two start from the same point run for run.
#pragma once
#include <cstdint>
#include <vector>

#include "../common_options.hpp"

namespace twolayer::tool {

/// The random streams of one job, gaussian_rng(seed, stream_base(j) + k): the streams of different
/// jobs never overlap, so a job's numbers do not depend on which thread or rank runs it.
enum class job_stream : std::uint64_t {
    teacher = 0, student = 1, samples = 2, noise = 3, test_set = 4, dataset = 5,
    rounding = 6  ///< the bits of stochastic rounding (train --rounding stochastic)
};
constexpr std::uint64_t streams_per_job = 8;
/// The stream number of stream s of job j.
constexpr std::uint64_t stream_of(long job, job_stream s) { return std::uint64_t(job) * streams_per_job + std::uint64_t(s); }

/// A student and a teacher in double, row-major: W is P x N, W_star is P* x N.
struct initial_weights {
    long N = 0, P = 0, P_star = 0;
    std::vector<double> W, v, W_star, v_star;
};

/// Job j's draw: W* entries N(0, 1) from stream `teacher`, v* = 1; W entries
/// N(0, init_scale^2) from stream `student`, v as --second-layer says (1, 1/P, 1/sqrt P).
initial_weights draw_initial_weights(const model_options& m, long job);

/// Order parameters Q = W W^T / N (P x P), R = W W*^T / N (P x P*), T = W* W*^T / N (P* x P*),
/// row-major, summed in double.
struct order_parameter_values {
    long P = 0, P_star = 0;
    std::vector<double> Q, R, T;
};
/// The order parameters of w.
order_parameter_values order_parameters_of(const initial_weights& w);

}  // namespace twolayer::tool
