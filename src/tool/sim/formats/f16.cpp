// The chains of format f16 (float arithmetic).
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_f16(const chain_inputs& in) { return make_chain_for<f16>(in); }

}  // namespace twolayer::tool::formats
