// The chains of format Q3.12 (float arithmetic).
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_q3_12(const chain_inputs& in) { return make_chain_for<q3_12>(in); }

}  // namespace twolayer::tool::formats
