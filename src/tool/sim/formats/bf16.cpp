// The chains of format bf16 (float arithmetic).
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_bf16(const chain_inputs& in) { return make_chain_for<bf16>(in); }

}  // namespace twolayer::tool::formats
