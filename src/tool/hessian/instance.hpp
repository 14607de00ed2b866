// One job's problem for `twolayer hessian`: the student and teacher weights, M inputs
// x ~ N(0, I_N) and their teacher labels, drawn from the streams of the seed index alone (or
// read from --init-from / --inputs), so a job's numbers do not depend on threads or ranks.
#pragma once
#include <vector>

#include "settings.hpp"

namespace twolayer::tool::hessian {

/// The weights and the dataset of one job (X: M x N row-major, y: M teacher labels).
struct instance {
    initial_weights w;
    long M = 0;
    std::vector<double> X, y;
};

/// The weights of seed index s: --init-from's, or train's draw for job s (streams teacher and
/// student of stream_of(s, ...)) with --init sphere rescaling each student row to norm
/// init_scale sqrt N and each teacher row to sqrt N, and --teacher-units orthonormal replacing
/// the teacher by rows sqrt N e_n, v* = 1.
initial_weights weights_of(const settings& s, long seed_index);

/// The problem of seed index s at alpha: weights_of(s), then M = s.samples_at(alpha) inputs
/// (--inputs', or N(0, 1) entries row by row from stream dataset of stream_of(s, ...); the
/// first M rows are the same at every alpha), labelled y = teacher(x) in double, no noise.
instance make_instance(const settings& s, double alpha, long seed_index);

}  // namespace twolayer::tool::hessian
