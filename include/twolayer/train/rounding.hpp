// The rounding policies a trainer takes (format/rounding.hpp), with stochastic rounding drawing
// its bits from the library's Philox stream.
#pragma once
#include "twolayer/core/philox.hpp"
#include "twolayer/format/rounding.hpp"

namespace twolayer {

using stochastic_rounding = basic_stochastic_rounding<philox4x32>;

}  // namespace twolayer
