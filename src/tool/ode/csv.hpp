// The CSV `twolayer ode` writes: the columns of `train` (chain, t, eps_g; one solution per chain), and
// on request the order parameters at each time: Q_i_k (i <= k), R_i_n, and v_i when it trains.
#pragma once
#include <ostream>
#include <vector>

#include "solve.hpp"

namespace twolayer::tool::ode {

/// Writes the header line and one line per report of each solution, solution j as chain j.
void write_csv(std::ostream& out, const std::vector<ode_solution>& chains, bool order_columns, bool train_v);

}  // namespace twolayer::tool::ode
