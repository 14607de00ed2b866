#include "instance.hpp"

#include <cmath>

#include "twolayer/teacher/rng.hpp"

#include "../sim/teacher.hpp"

namespace twolayer::tool::hessian {

namespace {
// Rescales each of the rows of the row-major a (rows x n) to Euclidean norm `norm` (a zero row stays 0).
void rescale_rows(std::vector<double>& a, long rows, long n, double norm) {
    for (long r = 0; r < rows; ++r) {
        double* row = a.data() + r * n;
        double s = 0;
        for (long j = 0; j < n; ++j) s += row[j] * row[j];
        if (s == 0.0) continue;
        const double f = norm / std::sqrt(s);
        for (long j = 0; j < n; ++j) row[j] *= f;
    }
}
}  // namespace

long settings::samples_at(double alpha) const {
    if (inputs) return long(inputs->size()) / model.N;
    const double m = std::round(alpha * double(model.N));
    return m < 1.0 ? 1 : long(m);
}

initial_weights weights_of(const settings& s, long seed_index) {
    if (s.weights) return *s.weights;
    initial_weights w = draw_initial_weights(s.model, seed_index);
    const double sqrt_n = std::sqrt(double(w.N));
    if (s.init == "sphere") {
        rescale_rows(w.W, w.P, w.N, s.model.init_scale * sqrt_n);
        rescale_rows(w.W_star, w.P_star, w.N, sqrt_n);
    }
    if (s.teacher_units == "orthonormal") {
        std::fill(w.W_star.begin(), w.W_star.end(), 0.0);
        for (long n = 0; n < w.P_star; ++n) w.W_star[std::size_t(n * w.N + n)] = sqrt_n;
        std::fill(w.v_star.begin(), w.v_star.end(), 1.0);
    }
    return w;
}

instance make_instance(const settings& s, double alpha, long seed_index) {
    instance in;
    in.w = weights_of(s, seed_index);
    in.M = s.samples_at(alpha);
    const long N = in.w.N;
    if (s.inputs) {
        in.X = *s.inputs;
    } else {
        gaussian_rng rng(s.model.seed, stream_of(seed_index, job_stream::dataset));
        in.X.resize(std::size_t(in.M * N));
        for (double& x : in.X) x = rng.next();
    }
    teacher_network teacher(in.w, s.model.teacher_act);
    in.y.resize(std::size_t(in.M));
    for (long mu = 0; mu < in.M; ++mu) in.y[std::size_t(mu)] = teacher.output(in.X.data() + mu * N);
    return in;
}

}  // namespace twolayer::tool::hessian
