// The chains of format bf16/double: bf16 storage, double arithmetic.
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_bf16_double(const chain_inputs& in) { return make_chain_for<mixed<bf16, double>>(in); }

}  // namespace twolayer::tool::formats
