// The chains of format q4_27/double: Q4.27 storage, double arithmetic.
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_q4_27_double(const chain_inputs& in) { return make_chain_for<mixed<q4_27, double>>(in); }

}  // namespace twolayer::tool::formats
