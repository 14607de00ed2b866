// The CSV `twolayer ode` writes: the columns of `train` (chain, t, eps_g; chain is always 0), and
// on request the order parameters at each time: Q_i_k (i <= k), R_i_n, and v_i when it trains.
#pragma once
#include <ostream>

#include "solve.hpp"

namespace twolayer::tool::ode {

/// Writes the header line and one line per report.
void write_csv(std::ostream& out, const ode_solution& solution, bool order_columns, bool train_v);

}  // namespace twolayer::tool::ode
