// One chain factory per number format, each in its own translation unit (this directory), so
// the template instantiations of the formats compile in parallel; chain.cpp picks one by name.
#pragma once
#include <memory>

#include "../chain.hpp"

namespace twolayer::tool::formats {

std::unique_ptr<chain> make_double(const chain_inputs& in);
std::unique_ptr<chain> make_float(const chain_inputs& in);
std::unique_ptr<chain> make_f16(const chain_inputs& in);
std::unique_ptr<chain> make_bf16(const chain_inputs& in);
std::unique_ptr<chain> make_q3_12(const chain_inputs& in);
std::unique_ptr<chain> make_q4_27(const chain_inputs& in);
std::unique_ptr<chain> make_f16_double(const chain_inputs& in);
std::unique_ptr<chain> make_bf16_double(const chain_inputs& in);
std::unique_ptr<chain> make_q3_12_double(const chain_inputs& in);
std::unique_ptr<chain> make_q4_27_double(const chain_inputs& in);

}  // namespace twolayer::tool::formats
