#include "chain.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include "formats/formats.hpp"

namespace twolayer::tool {

std::unique_ptr<chain> make_chain(const chain_inputs& in) {
    using maker = std::unique_ptr<chain> (*)(const chain_inputs&);
    static const std::map<std::string, maker> makers = {
        {"double", formats::make_double},           {"float", formats::make_float},
        {"f16", formats::make_f16},                 {"bf16", formats::make_bf16},
        {"q3_12", formats::make_q3_12},             {"q4_27", formats::make_q4_27},
        {"f16/double", formats::make_f16_double},   {"bf16/double", formats::make_bf16_double},
        {"q3_12/double", formats::make_q3_12_double}, {"q4_27/double", formats::make_q4_27_double}};
    const auto it = makers.find(in.settings.format);
    if (it == makers.end()) throw std::logic_error("make_chain: no chain for format " + in.settings.format);
    return it->second(in);
}

advance_result advance_in_chunks(chain& c, std::uint64_t steps, std::uint64_t chunk,
                                 const std::function<void(std::uint64_t)>& after_call) {
    advance_result sum;
    while (sum.done < steps) {
        const advance_result r = c.advance(std::min(steps - sum.done, chunk));
        sum.done += r.done;
        sum.loss_sum += r.loss_sum;
        sum.refused += r.refused;
        after_call(sum.done);
        if (r.status != step_status::ok) {
            sum.status = r.status;
            break;
        }
    }
    return sum;
}

}  // namespace twolayer::tool
