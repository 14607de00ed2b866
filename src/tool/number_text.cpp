#include "number_text.hpp"

#include <cstdlib>

namespace twolayer::tool {

bool number_at(const std::string& text, std::size_t& pos, char end, double& value) {
    const std::size_t stop = end == '\0' ? text.size() : text.find(end, pos);
    if (stop == std::string::npos || stop == pos) return false;
    const std::string part = text.substr(pos, stop - pos);
    char* rest = nullptr;
    const double v = std::strtod(part.c_str(), &rest);
    if (rest != part.c_str() + part.size()) return false;
    value = v;
    pos = stop + 1;
    return true;
}

}  // namespace twolayer::tool
