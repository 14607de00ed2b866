// The chains of format Q4.27 (float arithmetic).
#include "../make_chain_for.hpp"
#include "formats.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_q4_27(const chain_inputs& in) { return make_chain_for<q4_27>(in); }

}  // namespace twolayer::tool::formats
