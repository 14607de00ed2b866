#include "game.hpp"

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "twolayer/teacher/rng.hpp"
#include "twolayer/train/gda.hpp"

#include "../sim/host_network.hpp"
#include "../sim/initial_weights.hpp"
#include "full_batch.hpp"

namespace twolayer::tool::research {

namespace {

using act_t = act::erf;

// The game chosen at run time, as one policy type for gda_trainer (one instantiation serves both).
struct runtime_game {
    using value_type = double;
    bool hidden = true;
    hidden_convex_concave_game<double> h;
    bilinear_game<double> b;

    runtime_game(bool hid, mat_view<const double> B) : hidden(hid), h(B), b(B) {}
    index_t size() const { return hidden ? h.size() : b.size(); }
    double value(vec_view<const double> u, vec_view<const double> v) const { return hidden ? h.value(u, v) : b.value(u, v); }
    void gradient_u(vec_view<const double> u, vec_view<const double> v, vec_view<double> du) const {
        if (hidden) h.gradient_u(u, v, du);
        else b.gradient_u(u, v, du);
    }
    void gradient_v(vec_view<const double> u, vec_view<const double> v, vec_view<double> dv) const {
        if (hidden) h.gradient_v(u, v, dv);
        else b.gradient_v(u, v, dv);
    }
    double distance(vec_view<const double> u, vec_view<const double> v) const { return h.distance(u, v); }
};

// A player of P units on N inputs drawn from `stream`, padded to PC x NC: the extra rows and
// columns are 0 (a unit with W = 0 and v = 0 has g(0) = 0 with erf, so its gradients are 0 and
// it stays 0; an input column that is 0 in every z leaves its weights at 0).
void draw_player(unsigned long seed, std::uint64_t stream, long N, long P, double init_scale, index_t NC, index_t PC,
                 std::vector<double>& W, std::vector<double>& v) {
    gaussian_rng rng(seed, stream);
    W.assign(std::size_t(PC * NC), 0.0);
    v.assign(std::size_t(PC), 0.0);
    for (long k = 0; k < P; ++k)
        for (long j = 0; j < N; ++j) W[std::size_t(k) * NC + std::size_t(j)] = init_scale * rng.next();
    const double sv = 1 / std::sqrt(double(P));
    for (long k = 0; k < P; ++k) v[std::size_t(k)] = sv * rng.next();
}

const char* player_name(gda_player p) {
    return p == gda_player::min ? " (min player)" : p == gda_player::max ? " (max player)" : "";
}

template <index_t NC, index_t PC>
game_outcome run_padded(const game_settings& s, long seed_index, job_progress& progress) {
    using net_t = network<double, NC, PC, act_t>;
    using trainer_t = gda_trainer<net_t, net_t, index_t(game_max_points), runtime_game>;
    const long M = s.M, N = s.N;

    std::vector<double> B(std::size_t(M * M));
    gaussian_rng rb(s.seed, stream_of(seed_index, job_stream::teacher));
    for (double& x : B) x = rb.next() / std::sqrt(double(M));

    // z_i ~ N(0, I_N), stored as z_i sqrt(NC / N) in the first N of NC columns: the network's
    // w . z' / sqrt(NC) is then w . z / sqrt(N), the unpadded network's preactivation.
    host_dataset z(M, NC);
    gaussian_rng rz(s.seed, stream_of(seed_index, job_stream::dataset));
    const double pad = std::sqrt(double(NC) / double(N));
    for (long i = 0; i < M; ++i)
        for (long j = 0; j < N; ++j) z.X[std::size_t(i) * NC + std::size_t(j)] = rz.next() * pad;

    host_network<double, act_t> min_net(NC, PC, false), max_net(NC, PC, false);
    std::vector<double> W, v;
    draw_player(s.seed, stream_of(seed_index, job_stream::student), N, s.P_min, s.init_scale, NC, PC, W, v);
    min_net.load(W, v);
    draw_player(s.seed, stream_of(seed_index, job_stream::samples), N, s.P_max, s.init_scale, NC, PC, W, v);
    max_net.load(W, v);

    const runtime_game game(s.hidden, mat_view<const double>(B.data(), index_t(M), index_t(M)));
    auto trainer = std::make_unique<trainer_t>(game, s.simultaneous ? gda_mode::simultaneous : gda_mode::alternating);
    trainer->config_min.lr_w = s.lr_min;
    trainer->config_min.lr_v = s.lr_min / double(s.P_min);
    trainer->config_max.lr_w = s.lr_max;
    trainer->config_max.lr_v = s.lr_max / double(s.P_max);

    game_outcome out;
    char line[160];
    const auto a = min_net.ref();
    const auto b = max_net.ref();
    const auto zr = z.ref();
    for (long t = 0;; ++t) {
        if (t % s.every == 0 || t == s.steps) {
            const gda_result<double> r = trainer->evaluate(a, b, zr);
            if (!r) {
                out.failed = true;
                out.message = "seed " + std::to_string(seed_index) + ": after step " + std::to_string(t) + ": " +
                              to_string(r.status) + player_name(r.player);
                return out;
            }
            std::snprintf(line, sizeof line, "%ld,%ld,%.17g,%.17g\n", seed_index, t, r.distance, r.value);
            out.rows += line;
            if (!(r.distance <= s.diverge)) {
                char msg[200];
                std::snprintf(msg, sizeof msg, "seed %ld: diverged: distance %.6g above --diverge %.6g at step %ld",
                              seed_index, r.distance, s.diverge, t);
                out.failed = true;
                out.message = msg;
                return out;
            }
        }
        if (t == s.steps) break;
        const gda_result<double> r = trainer->step(a, b, zr);
        if (!r) {
            out.failed = true;
            out.message = "seed " + std::to_string(seed_index) + ": step " + std::to_string(t + 1) + " refused: " +
                          to_string(r.status) + player_name(r.player);
            return out;
        }
        if ((t & 63) == 0) progress.set(double(t) / double(s.steps));
    }
    return out;
}

// The capacities instantiated: widths 8, 32, 128, 512 (both players the same), inputs 8, 32, 128.
template <index_t NC>
game_outcome run_width(const game_settings& s, long seed_index, job_progress& p) {
    const long P = std::max(std::max(s.P_min, s.P_max), s.capacity);
    if (P <= 8) return run_padded<NC, 8>(s, seed_index, p);
    if (P <= 32) return run_padded<NC, 32>(s, seed_index, p);
    if (P <= 128) return run_padded<NC, 128>(s, seed_index, p);
    return run_padded<NC, 512>(s, seed_index, p);
}

}  // namespace

game_outcome run_game_job(const game_settings& s, long seed_index, job_progress& progress) {
    if (s.N <= 8) return run_width<8>(s, seed_index, progress);
    if (s.N <= 32) return run_width<32>(s, seed_index, progress);
    return run_width<128>(s, seed_index, progress);
}

}  // namespace twolayer::tool::research
