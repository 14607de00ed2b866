// The chains of format f16/double: f16 storage, double arithmetic.
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_f16_double(const chain_inputs& in) { return make_chain_for<mixed<f16, double>>(in); }

}  // namespace twolayer::tool::formats
