// The budgets of `twolayer recommend` as written on the command line: sizes with K and M
// ("16K" bytes = 16384), counts with K and M (thousands, millions), and an error.
#pragma once
#include <string>

namespace twolayer::tool::sweep {

/// "16K", "8192", "1.5M", "2KB": a number > 0, optionally followed by K or M (any case) and an
/// optional B; K = `kilo` (1024 for bytes, 1000 for counts), M = kilo^2. Throws usage_error naming
/// `option` for anything else.
double parse_amount(const std::string& text, const std::string& option, double kilo);

}  // namespace twolayer::tool::sweep
