// The chains of format q3_12/double: Q3.12 storage, double arithmetic.
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_q3_12_double(const chain_inputs& in) { return make_chain_for<mixed<q3_12, double>>(in); }

}  // namespace twolayer::tool::formats
