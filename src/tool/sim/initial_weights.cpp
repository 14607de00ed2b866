#include "initial_weights.hpp"

#include <cmath>

#include "twolayer/teacher/rng.hpp"

namespace twolayer::tool {

initial_weights draw_initial_weights(const model_options& m, long job) {
    initial_weights w;
    w.N = m.N;
    w.P = m.P;
    w.P_star = m.P_star;
    gaussian_rng teacher(m.seed, stream_of(job, job_stream::teacher));
    w.W_star.resize(std::size_t(m.P_star * m.N));
    for (double& x : w.W_star) x = teacher.next();
    w.v_star.assign(std::size_t(m.P_star), 1.0);
    gaussian_rng student(m.seed, stream_of(job, job_stream::student));
    w.W.resize(std::size_t(m.P * m.N));
    for (double& x : w.W) x = m.init_scale * student.next();
    const double p = double(m.P);
    const double v = m.second_layer == second_layer_init::one     ? 1.0
                     : m.second_layer == second_layer_init::inv_p ? 1.0 / p
                                                                  : 1.0 / std::sqrt(p);
    w.v.assign(std::size_t(m.P), v);
    return w;
}

namespace {
// out(i, k) = a_i . b_k / N for row-major a (ra x n) and b (rb x n).
std::vector<double> overlaps(const std::vector<double>& a, long ra, const std::vector<double>& b, long rb, long n) {
    std::vector<double> out(std::size_t(ra * rb));
    for (long i = 0; i < ra; ++i)
        for (long k = 0; k < rb; ++k) {
            double s = 0;
            for (long j = 0; j < n; ++j) s += a[std::size_t(i * n + j)] * b[std::size_t(k * n + j)];
            out[std::size_t(i * rb + k)] = s / double(n);
        }
    return out;
}
}  // namespace

order_parameter_values order_parameters_of(const initial_weights& w) {
    order_parameter_values o;
    o.P = w.P;
    o.P_star = w.P_star;
    o.Q = overlaps(w.W, w.P, w.W, w.P, w.N);
    o.R = overlaps(w.W, w.P, w.W_star, w.P_star, w.N);
    o.T = overlaps(w.W_star, w.P_star, w.W_star, w.P_star, w.N);
    return o;
}

}  // namespace twolayer::tool
