// The chains of format double.
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_double(const chain_inputs& in) { return make_chain_for<double>(in); }

}  // namespace twolayer::tool::formats
