#include "descent.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "spectrum.hpp"
#include "twolayer/analysis/population.hpp"

namespace twolayer::tool::population_gd {

const char* name_of(end_class c) {
    switch (c) {
        case end_class::global_minimum: return "global";
        case end_class::spurious_minimum: return "spurious_minimum";
        case end_class::saddle: return "saddle";
        case end_class::not_converged: return "not_converged";
        case end_class::diverged: return "diverged";
    }
    return "?";
}

namespace {

// The views of one student and teacher held in an initial_weights.
struct views {
    mat_view<double> W, Ws;
    vec_view<double> v, vs;
    explicit views(initial_weights& w)
        : W(w.W.data(), index_t(w.P), index_t(w.N)), Ws(w.W_star.data(), index_t(w.P_star), index_t(w.N)),
          v(w.v.data(), index_t(w.P)), vs(w.v_star.data(), index_t(w.P_star)) {}
};

// The largest |N dL/dW| (and |dL/dv| when v descends): the stopping rule's measure.
double gradient_size(const std::vector<double>& gw, const std::vector<double>& gv, double N, bool train_v) {
    double g = 0;
    for (double x : gw) g = std::max(g, std::fabs(N * x));
    if (train_v)
        for (double x : gv) g = std::max(g, std::fabs(x));
    return g;
}

// Gradient descent until the gradient is below grad_tol or the steps run out; fills loss, steps,
// grad_norm of o.
template <class Act>
void descend(views& m, const settings& s, job_progress& progress, outcome& o) {
    const index_t P = m.W.rows(), PT = m.Ws.rows(), N = m.W.cols();
    std::vector<double> gw(P * N), gv(P), scratch(population::population_scratch_size(P, PT));
    const vec_view<double> sv(scratch.data(), scratch.size());
    for (o.steps = 0;; ++o.steps) {
        o.loss = population::loss_and_gradient(Act{}, m.W, m.v, m.Ws, m.vs, mat_view<double>(gw.data(), P, N),
                                               vec_view<double>(gv.data(), P), sv);
        o.grad_norm = gradient_size(gw, gv, double(N), s.train_v);
        // A loss below global_tol is a global minimum whatever the gradient: stop there (an
        // overparameterised student approaches its minimum slowly, and the class is settled).
        if (!std::isfinite(o.loss) || o.loss < s.global_tol || o.grad_norm < s.grad_tol || o.steps >= s.max_steps ||
            progress.stopping())
            return;
        for (index_t k = 0; k < P * N; ++k) m.W.data()[k] -= s.lr * double(N) * gw[k];
        if (s.train_v)
            for (index_t i = 0; i < P; ++i) m.v[i] -= s.lr * gv[i];
        if (o.steps % 1024 == 0) progress.set(double(o.steps) / double(s.max_steps));
    }
}

// The Hessian's extreme eigenvalues and its error estimate at the current point.
template <class Act>
void spectrum(views& m, const settings& s, outcome& o) {
    const index_t P = m.W.rows(), PT = m.Ws.rows(), N = m.W.cols();
    const hessian_blocks b{true, s.train_v};
    const index_t dim = population::hessian_dimension(P, N, b);
    std::vector<double> h(dim * dim), work(population::hessian_workspace_size(P, PT, N));
    o.hessian_error = population::hessian(Act{}, m.W, m.v, m.Ws, m.vs, b, s.hessian_step, mat_view<double>(h.data(), dim, dim),
                                          vec_view<double>(work.data(), work.size()));
    o.eigenvalues = symmetric_eigenvalues(h, long(dim));
    o.min_eig = o.eigenvalues.front();
    o.max_eig = o.eigenvalues.back();
}

void classify(const settings& s, outcome& o) {
    if (o.loss < s.global_tol) {
        o.cls = end_class::global_minimum;
        return;
    }
    if (!std::isfinite(o.loss)) {
        o.cls = end_class::diverged;
        return;
    }
    if (o.grad_norm >= 100 * s.grad_tol) {
        o.cls = end_class::not_converged;
        return;
    }
    const double tol = std::max(1e-6 * std::max(std::fabs(o.min_eig), std::fabs(o.max_eig)), 100 * o.hessian_error);
    o.cls = o.min_eig < -tol ? end_class::saddle : end_class::spurious_minimum;
}

template <class Act>
outcome run(initial_weights& w, const settings& s, job_progress& progress) {
    views m(w);
    outcome o;
    descend<Act>(m, s, progress, o);
    if (std::isfinite(o.loss)) spectrum<Act>(m, s, o);
    classify(s, o);
    progress.set(1);
    return o;
}

}  // namespace

outcome descend_and_classify(initial_weights& w, const settings& s, job_progress& progress) {
    switch (s.act) {
        case activation_id::relu: return run<act::relu>(w, s, progress);
        case activation_id::erf: return run<act::erf>(w, s, progress);
        case activation_id::quadratic: return run<act::quadratic>(w, s, progress);
        case activation_id::linear: return run<act::linear>(w, s, progress);
        default: break;
    }
    return {};  // the command refuses other activations before it gets here
}

}  // namespace twolayer::tool::population_gd
