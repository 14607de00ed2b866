// One job of `twolayer game`: gradient descent-ascent between two two-layer erf networks (the
// library's gda_trainer) on a game of their outputs on M fixed Gaussian inputs, one seed.
#pragma once
#include <string>

#include "../job_runner.hpp"

namespace twolayer::tool::research {

/// The sizes the game's players may have: gda_trainer takes them from its network types, so the
/// tool instantiates it for a few capacities (game.cpp) and pads (docs/TOOL.md, "game").
constexpr long game_max_width = 512;   ///< --P-min, --P-max
constexpr long game_max_inputs = 128;  ///< --N
constexpr long game_max_points = 1024; ///< --inputs M

/// What `twolayer game` was asked to do.
struct game_settings {
    long P_min = 16, P_max = 16;  ///< widths of the min and max players
    long N = 10;                  ///< input dimension of z
    long M = 10;                  ///< fixed inputs z_1 .. z_M
    bool hidden = true;           ///< --game hidden (L = |u|^2/2 - |v|^2/2 + u^T B v) or bilinear (u^T B v)
    bool simultaneous = false;    ///< --mode simultaneous (default alternating)
    double lr_min = 0.05, lr_max = 0.05;  ///< first-layer rates; second layer: lr / P
    double init_scale = 1;        ///< standard deviation of the first-layer entries
    long steps = 1000, every = 10;
    double diverge = 1e8;         ///< a distance above this stops the seed as diverged
    unsigned long seed = 1;
    long capacity = 0;            ///< --capacity: the padded width (0: the smallest that fits)
};

/// The padded widths gda_trainer is instantiated for (and the input dimensions: 8, 32, 128).
inline bool is_game_capacity(long c) { return c == 8 || c == 32 || c == 128 || c == 512; }

/// What one seed's run gave: its CSV rows (seed,step,distance,objective), whether it failed
/// (refused by the guard, or diverged) and the message.
struct game_outcome {
    std::string rows;
    bool failed = false;
    std::string message;
};

/// Runs seed index s: B (M x M, N(0, 1) / sqrt M, stream teacher of stream_of(s, ...)), the
/// inputs z (stream dataset), the min player (stream student: W entries N(0, init_scale^2)
/// row by row, then v entries N(0, 1/P)) and the max player (stream samples, the same way); a
/// row at step 0, every `every` steps and at the last step.
game_outcome run_game_job(const game_settings& s, long seed_index, job_progress& progress);

}  // namespace twolayer::tool::research
