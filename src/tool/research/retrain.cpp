#include "retrain.hpp"

#include <cmath>
#include <cstdio>
#include <memory>

#include "twolayer/teacher/rng.hpp"
#include "twolayer/train/readout.hpp"

#include "../sim/host_network.hpp"
#include "../sim/initial_weights.hpp"
#include "full_batch.hpp"

namespace twolayer::tool::research {

long retrain_settings::positives() const {
    const long k = long(std::lround(prior * double(n)));
    return std::min(std::max(k, 1L), n - 1);
}

double balancing_weight(const std::vector<double>& weights, const std::vector<double>& diff) {
    for (std::size_t i = 0; i < diff.size(); ++i)
        if (diff[i] == 0.0) return weights[i];
    for (std::size_t i = 0; i + 1 < diff.size(); ++i) {
        if ((diff[i] < 0) == (diff[i + 1] < 0)) continue;
        const double la = std::log(weights[i]), lb = std::log(weights[i + 1]);
        return std::exp(la + (lb - la) * diff[i] / (diff[i] - diff[i + 1]));
    }
    return NAN;
}

namespace {

// Samples of the mixture: class +1 at +sep e_1, class -1 at -sep e_1, unit covariance.
void draw_class(gaussian_rng& rng, double mean, long d, double* x) {
    for (long j = 0; j < d; ++j) x[j] = rng.next() + (j == 0 ? mean : 0.0);
}

std::string job_name(long seed_index) { return "seed " + std::to_string(seed_index); }

template <class Act>
job_result run_with(const retrain_settings& s, long seed_index, job_progress& progress) {
    const long d = s.d, P = s.P, n = s.n, n_plus = s.positives();
    job_result out;

    // The training set: n_plus samples of class +1, then n - n_plus of class -1.
    host_dataset train(n, d);
    gaussian_rng rd(s.seed, stream_of(seed_index, job_stream::dataset));
    for (long i = 0; i < n; ++i) {
        const double y = i < n_plus ? 1.0 : -1.0;
        train.y[std::size_t(i)] = y;
        draw_class(rd, y * s.separation, d, train.X.data() + i * d);
    }

    // The first layer: W entries N(0, 1); pretrained (both layers, v entries N(0, 1/P) first) on
    // request.
    host_network<double, Act> net(d, P, false);
    {
        std::vector<double> W(std::size_t(P * d)), v(static_cast<std::size_t>(P));
        gaussian_rng rw(s.seed, stream_of(seed_index, job_stream::student));
        for (double& w : W) w = rw.next();
        gaussian_rng rv(s.seed, stream_of(seed_index, job_stream::teacher));
        for (double& x : v) x = rv.next() / std::sqrt(double(P));
        net.load(W, v);
    }
    auto ref = net.ref();  // non-const: readout_ridge takes the network by reference
    if (s.trained) {
        full_batch_gd<Act> gd(d, P);
        train_config<double> c;
        c.scaling = lr_scaling::plain;
        c.lr_w = s.pretrain_lr;
        c.lr_v = s.pretrain_lr / double(P);
        for (long t = 0; t < s.pretrain_steps; ++t) {
            const step_status st = gd.run(ref, train, c, squared_loss{}, false);
            if (st != step_status::ok) {
                out.failed = true;
                out.message = job_name(seed_index) + ": pretraining step " + std::to_string(t + 1) + " refused: " + to_string(st);
                return out;
            }
        }
    }
    ref.head->use_output_bias(true);

    // The readout of every weight: v (P values) and c, in the grid's order.
    const std::size_t K = std::size_t(P) + 1;
    std::vector<double> sol(s.weights.size() * K);
    if (!s.gd) {
        auto ridge = std::make_unique<readout_ridge<index_t(retrain_max_width)>>();
        for (std::size_t w = 0; w < s.weights.size(); ++w) {
            const weighted_squared_loss<double> loss{s.weights[w], 1.0};
            const ridge_result r = ridge->solve(ref, train.ref(), loss, s.ridge);
            if (!r) {
                char msg[300];
                std::snprintf(msg, sizeof msg, "%s: weight %.6g: readout_ridge refused: %s (index %lu)",
                              job_name(seed_index).c_str(), s.weights[w], to_string(r.status), (unsigned long)r.index);
                out.failed = true;
                out.message = msg;
                return out;
            }
            for (long k = 0; k < P; ++k) sol[w * K + std::size_t(k)] = ref.v[index_t(k)];
            sol[w * K + std::size_t(P)] = ref.head->output_bias;
        }
    } else {
        // Features of the training set for the rate: the trace of the mean weighted loss's Hessian
        // in (v, c), (1/n) sum_i c_i (|h_i|^2 + 1), bounds its largest eigenvalue.
        std::vector<double> h2(static_cast<std::size_t>(n));
        for (long i = 0; i < n; ++i) {
            forward(ref, vec_view<const double>(train.X.data() + i * d, index_t(d)));
            double q = 1;
            for (long k = 0; k < P; ++k) q += ref.g[index_t(k)] * ref.g[index_t(k)];
            h2[std::size_t(i)] = q;
        }
        full_batch_gd<Act> gd(d, P);
        for (std::size_t w = 0; w < s.weights.size(); ++w) {
            double trace = 0;
            for (long i = 0; i < n; ++i) trace += (i < n_plus ? s.weights[w] : 1.0) * h2[std::size_t(i)];
            trace /= double(n);
            train_config<double> c;
            c.scaling = lr_scaling::plain;
            c.train_w = false;
            c.lr_v = c.lr_b = s.gd_lr / trace;
            c.weight_decay_v = s.ridge / double(n);  // the ridge problem's minimizer
            for (long k = 0; k < P; ++k) ref.v[index_t(k)] = 0;
            ref.head->output_bias = 0;
            const weighted_squared_loss<double> loss{s.weights[w], 1.0};
            for (long t = 0; t < s.gd_steps; ++t) {
                const step_status st = gd.run(ref, train, c, loss, true);
                if (st != step_status::ok) {
                    char msg[300];
                    std::snprintf(msg, sizeof msg, "%s: weight %.6g: readout GD step %ld refused: %s",
                                  job_name(seed_index).c_str(), s.weights[w], t + 1, to_string(st));
                    out.failed = true;
                    out.message = msg;
                    return out;
                }
            }
            for (long k = 0; k < P; ++k) sol[w * K + std::size_t(k)] = ref.v[index_t(k)];
            sol[w * K + std::size_t(P)] = ref.head->output_bias;
            progress.set(0.5 * double(w + 1) / double(s.weights.size()));
        }
    }

    // The test set, one sample at a time: its features once, every weight's output from them.
    // A sample is misclassified when sign(yhat) differs from its class (yhat = 0 counts as -1).
    std::vector<long> wrong_plus(s.weights.size()), wrong_minus(s.weights.size());
    gaussian_rng rt(s.seed, stream_of(seed_index, job_stream::test_set));
    std::vector<double> x(static_cast<std::size_t>(d));
    for (long i = 0; i < 2 * s.test_samples; ++i) {
        const bool plus = i < s.test_samples;
        draw_class(rt, plus ? s.separation : -s.separation, d, x.data());
        forward(ref, vec_view<const double>(x.data(), index_t(d)));
        for (std::size_t w = 0; w < s.weights.size(); ++w) {
            double yhat = sol[w * K + std::size_t(P)];
            for (long k = 0; k < P; ++k) yhat += sol[w * K + std::size_t(k)] * ref.g[index_t(k)];
            if (plus && !(yhat > 0)) ++wrong_plus[w];
            if (!plus && yhat > 0) ++wrong_minus[w];
        }
        if ((i & 1023) == 0) progress.set(0.5 + 0.5 * double(i) / double(2 * s.test_samples));
    }
    char line[200];
    for (std::size_t w = 0; w < s.weights.size(); ++w) {
        const double ep = double(wrong_plus[w]) / double(s.test_samples);
        const double em = double(wrong_minus[w]) / double(s.test_samples);
        std::snprintf(line, sizeof line, "%ld,%.17g,%.17g,%.17g,%.17g\n", seed_index, s.weights[w], ep, em,
                      std::max(ep, em));
        out.rows += line;
    }
    return out;
}

}  // namespace

job_result run_retrain_job(const retrain_settings& s, long seed_index, job_progress& progress) {
    switch (s.act) {
        case activation_id::erf: return run_with<act::erf>(s, seed_index, progress);
        case activation_id::tanh: return run_with<act::tanh>(s, seed_index, progress);
        default: return run_with<act::relu>(s, seed_index, progress);
    }
}

}  // namespace twolayer::tool::research
