#include "width.hpp"

#include <cmath>
#include <cstdio>

#include "twolayer/teacher/rng.hpp"

#include "../sim/host_network.hpp"
#include "../sim/initial_weights.hpp"
#include "full_batch.hpp"

namespace twolayer::tool::research {

double orthogonal_optimum(long n, long m_plus, double lambda) {
    double f = 0;
    for (const long m : {m_plus, n - m_plus}) {
        if (m == 0) continue;
        const double r = std::sqrt(double(m));
        f += double(n) * lambda < r ? lambda * r - double(n) * lambda * lambda / 2 : double(m) / (2 * double(n));
    }
    return f;
}

namespace {

using relu_net = host_network<double, act::relu>;

// (lambda / 2) (|W|^2 + |v|^2) of the network.
double penalty(const dyn_network_ref<double, act::relu>& net, double lambda) {
    double s = 0;
    for (index_t i = 0; i < net.W.size(); ++i) s += net.W.flat()[i] * net.W.flat()[i];
    for (index_t k = 0; k < net.v.size(); ++k) s += net.v[k] * net.v[k];
    return 0.5 * lambda * s;
}

std::string refused(const char* what, long job, long step, step_status st) {
    return std::string(what) + " job " + std::to_string(job) + ": step " + std::to_string(step) + " refused: " + to_string(st);
}

job_result orthogonal_job(const width_settings& s, long job, job_progress& progress) {
    const long m = s.widths[std::size_t(job / s.restarts)], restart = job % s.restarts, n = s.n;
    // x_i = sqrt(n) e_i: the network's preactivation w_k . x_i / sqrt(n) is W_ki itself.
    host_dataset data(n, n);
    for (long i = 0; i < n; ++i) {
        data.X[std::size_t(i * n + i)] = std::sqrt(double(n));
        data.y[std::size_t(i)] = i % 2 == 0 ? 1.0 : -1.0;
    }
    relu_net net(n, m, false);
    {
        gaussian_rng rng(s.seed, stream_of(job, job_stream::student));
        std::vector<double> W(std::size_t(m * n)), v(static_cast<std::size_t>(m));
        for (double& w : W) w = s.init_scale * rng.next();
        for (double& x : v) x = s.init_scale * rng.next();
        net.load(W, v);
    }
    const auto ref = net.ref();
    train_config<double> c;
    c.scaling = lr_scaling::plain;
    c.lr_w = c.lr_v = s.lr;
    c.weight_decay_w = c.weight_decay_v = s.lambda;
    full_batch_gd<act::relu> gd(n, m);
    job_result out;
    for (long t = 0; t < s.steps; ++t) {
        const step_status st = gd.run(ref, data, c, squared_loss{}, false);
        if (st != step_status::ok) {
            out.failed = true;
            out.message = refused("width", job, t + 1, st) + " (width " + std::to_string(m) + ", restart " + std::to_string(restart) + ")";
            break;
        }
        if ((t & 255) == 0) progress.set(double(t) / double(s.steps));
    }
    const double loss = double(mean_loss(ref, data.ref())) + penalty(ref, s.lambda);
    const double opt = orthogonal_optimum(n, orthogonal_positives(n), s.lambda);
    const bool global = std::fabs(loss - opt) <= s.tol * opt;
    char line[200];
    std::snprintf(line, sizeof line, "%ld,%ld,%.17g,%.17g,%d\n", m, restart, loss, opt, global ? 1 : 0);
    out.rows = line;
    return out;
}

job_result subquadratic_job(const width_settings& s, long job, job_progress& progress) {
    const long n = s.ns[std::size_t(job / s.restarts)], restart = job % s.restarts, d = s.d;
    host_dataset data(n, d);
    gaussian_rng rd(s.seed, stream_of(job, job_stream::dataset));
    for (double& x : data.X) x = rd.next();
    for (double& y : data.y) y = rd.uniform().uniform01() < 0.5 ? 1.0 : -1.0;
    job_result out;
    long needed = -1;
    for (std::size_t wi = 0; wi < s.widths.size() && needed < 0; ++wi) {
        const long m = s.widths[wi];
        relu_net net(d, m, false);
        {
            // Standard init: W entries N(0, 1) (preactivations O(1) under w . x / sqrt d), v N(0, 1/m).
            gaussian_rng rng(s.seed, stream_of(job, job_stream::student));
            std::vector<double> W(std::size_t(m * d)), v(static_cast<std::size_t>(m));
            for (double& w : W) w = rng.next();
            for (double& x : v) x = rng.next() / std::sqrt(double(m));
            net.load(W, v);
        }
        const auto ref = net.ref();
        train_config<double> c;
        c.scaling = lr_scaling::plain;
        c.lr_w = s.lr;
        c.lr_v = s.lr / double(m);  // the NTK parameterization's rates: one lr serves every width
        full_batch_gd<act::relu> gd(d, m);
        for (long t = 0; t < s.steps; ++t) {
            double before = 0;
            const step_status st = gd.run(ref, data, c, squared_loss{}, false, &before);
            if (st == step_status::ok && before < s.threshold) break;
            if (st != step_status::ok) {
                out.failed = true;
                out.message = refused("width --subquadratic", job, t + 1, st) + " (n " + std::to_string(n) + ", width " +
                              std::to_string(m) + ", restart " + std::to_string(restart) + ")";
                break;
            }
            if ((t & 255) == 0) progress.set((double(wi) + double(t) / double(s.steps)) / double(s.widths.size()));
        }
        if (out.failed) break;
        if (double(mean_loss(ref, data.ref())) < s.threshold) needed = m;
    }
    char line[120];
    if (needed > 0) std::snprintf(line, sizeof line, "%ld,%ld,%ld\n", n, restart, needed);
    else std::snprintf(line, sizeof line, "%ld,%ld,\n", n, restart);
    out.rows = line;
    return out;
}

}  // namespace

job_result run_width_job(const width_settings& s, long job, job_progress& progress) {
    return s.subquadratic ? subquadratic_job(s, job, progress) : orthogonal_job(s, job, progress);
}

}  // namespace twolayer::tool::research
