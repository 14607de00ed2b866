// `twolayer game`: gradient descent-ascent (alternating, or simultaneous) between two two-layer
// networks on a game of their outputs on M fixed inputs: the hidden convex-concave game
// L = |u|^2/2 - |v|^2/2 + u^T B v or the bilinear u^T B v; the distance to the equilibrium and the
// objective every K steps, one job per seed. The work is in src/tool/research/game.cpp (the
// library's gda_trainer); here: options, output and the summary.
// Exit codes: 0 done; 1 a seed was refused by the guard or diverged (its rows so far are kept);
// 2 bad input.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "../atomic_file.hpp"
#include "../command.hpp"
#include "../common_options.hpp"
#include "../job_output.hpp"
#include "../job_runner.hpp"
#include "../research/game.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool {
namespace {

struct game_options {
    research::game_settings s;
    std::string game = "hidden", mode = "alternating";
    long seeds = 10;
    double tol = 1e-3;
    long threads = 0;
    std::string out;
    bool quiet = false;
};

const char* const csv_header = "seed,step,distance,objective\n";

void check_positive(double x, const char* option) {
    if (!std::isfinite(x) || x <= 0) throw usage_error(option, std::to_string(x), "must be a number > 0");
}

// The last row's distance of each seed (from the rows: under MPI they are what rank 0 received).
double last_distance(const std::string& rows) {
    const std::size_t end = rows.size() > 0 ? rows.size() - 1 : 0;
    const std::size_t start = rows.rfind('\n', end > 0 ? end - 1 : 0);
    const std::string line = rows.substr(start == std::string::npos ? 0 : start + 1);
    std::stringstream f(line);
    std::string field;
    for (int i = 0; i < 3 && std::getline(f, field, ','); ++i) {}
    return field.empty() ? NAN : std::strtod(field.c_str(), nullptr);
}

int run_game(game_options& o) {
    research::game_settings& s = o.s;
    s.hidden = o.game == "hidden";
    s.simultaneous = o.mode == "simultaneous";
    check_positive(s.lr_min, "--lr-min");
    check_positive(s.lr_max, "--lr-max");
    check_positive(o.tol, "--tol");
    check_positive(s.diverge, "--diverge");
    if (!std::isfinite(s.init_scale) || s.init_scale < 0) throw usage_error("--init-scale", std::to_string(s.init_scale), "must be a number >= 0");
    if (s.capacity != 0 && (!research::is_game_capacity(s.capacity) || s.capacity < std::max(s.P_min, s.P_max)))
        throw usage_error("--capacity", std::to_string(s.capacity),
                          "must be 0 or one of 8|32|128|512, at least --P-min and --P-max");
    std::optional<atomic_file> file;
    if (!o.out.empty() && is_writer()) file.emplace(o.out, "--out");
    runner_options ro;
    ro.threads = o.threads;
    ro.quiet = o.quiet;
    ro.label = "game";
    const std::vector<job_result> results = run_jobs(
        o.seeds,
        [&](long j, job_progress& p) {
            research::game_outcome r = research::run_game_job(s, j, p);
            return job_result{std::move(r.rows), r.failed, std::move(r.message)};
        },
        ro);
    if (!is_writer()) return 0;
    const int code = write_job_rows(file, csv_header, results, "game");
    long close = 0;
    for (const job_result& r : results) {
        const double dist = last_distance(r.rows);
        if (!r.failed && dist < o.tol) ++close;
    }
    std::FILE* summary = file ? stdout : stderr;  // the CSV may be on stdout
    std::fprintf(summary, "twolayer game: %ld of %ld seeds (%.3f) end within --tol %g of the equilibrium (%s GDA, %s game, P-min %ld, P-max %ld, %ld steps)\n",
                 close, o.seeds, double(close) / double(o.seeds), o.tol, o.mode.c_str(), o.game.c_str(), s.P_min, s.P_max, s.steps);
    return code;
}

command_main setup_game(CLI::App& sub) {
    auto o = std::make_shared<game_options>();
    research::game_settings& s = o->s;
    sub.add_option("--P-min", s.P_min, "hidden units of the minimizing player")
        ->check(CLI::Range(1L, research::game_max_width))
        ->capture_default_str();
    sub.add_option("--P-max", s.P_max, "hidden units of the maximizing player")
        ->check(CLI::Range(1L, research::game_max_width))
        ->capture_default_str();
    sub.add_option("--N", s.N, "input dimension of the z_i")->check(CLI::Range(1L, research::game_max_inputs))->capture_default_str();
    sub.add_option("--inputs", s.M, "M: the fixed inputs z_1 .. z_M, N(0, I_N)")
        ->check(CLI::Range(1L, research::game_max_points))
        ->capture_default_str();
    sub.add_option("--game", o->game, "hidden: L = |u|^2/2 - |v|^2/2 + u^T B v; bilinear: L = u^T B v (B: N(0, 1) / sqrt M entries)")
        ->check(CLI::IsMember({"hidden", "bilinear"}))
        ->capture_default_str();
    sub.add_option("--mode", o->mode, "alternating (the max player at the min player's new outputs) or simultaneous")
        ->check(CLI::IsMember({"alternating", "simultaneous"}))
        ->capture_default_str();
    sub.add_option("--lr-min", s.lr_min, "the min player's first-layer rate (second layer: lr / P-min)")->capture_default_str();
    sub.add_option("--lr-max", s.lr_max, "the max player's first-layer rate (second layer: lr / P-max)")->capture_default_str();
    sub.add_option("--init-scale", s.init_scale, "standard deviation of the first-layer entries (v: N(0, 1/P))")->capture_default_str();
    sub.add_option("--steps", s.steps, "GDA steps")->check(CLI::Range(1L, 1000000000L))->capture_default_str();
    sub.add_option("--every", s.every, "a CSV row every K steps (and at the last)")->check(CLI::Range(1L, 1000000000L))->capture_default_str();
    sub.add_option("--seeds", o->seeds, "seed indices 0 .. S-1 (B, z and both players of each)")
        ->check(CLI::Range(1L, 1000000L))
        ->capture_default_str();
    sub.add_option("--tol", o->tol, "the summary counts the seeds whose final distance is below this")->capture_default_str();
    sub.add_option("--diverge", s.diverge, "a distance above this stops the seed as diverged (exit 1)")->capture_default_str();
    sub.add_option("--capacity", s.capacity, "the width both players are padded to with dead units (0: the smallest of 8|32|128|512 that fits; padding changes nothing but possibly the rounding)")
        ->capture_default_str();
    sub.add_option("--seed", s.seed, "base seed; seed index s draws from streams of (seed, s) only")->capture_default_str();
    add_job_output_options(sub, o->threads, o->out, o->quiet);
    return [o] { return run_game(*o); };
}

}  // namespace

TWOLAYER_TOOL_COMMAND("game",
                      "gradient descent-ascent between two networks on a hidden convex-concave or bilinear game: "
                      "distance to the equilibrium over the steps, per seed",
                      setup_game);

}  // namespace twolayer::tool
