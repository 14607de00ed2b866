// The chains of format float.
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_float(const chain_inputs& in) { return make_chain_for<float>(in); }

}  // namespace twolayer::tool::formats
