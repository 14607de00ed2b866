#include "budget.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "../usage_error.hpp"

namespace twolayer::tool::sweep {

double parse_amount(const std::string& text, const std::string& option, double kilo) {
    const char* why = "expected a number > 0 with an optional K or M (e.g. 16K, 1.5M, 8192)";
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end == text.c_str() || !std::isfinite(v) || v <= 0 || std::isspace(static_cast<unsigned char>(text[0])))
        throw usage_error(option, text, why);
    std::string unit(end);
    if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
    double scale = 1;
    if (unit == "K" || unit == "k") scale = kilo;
    else if (unit == "M" || unit == "m") scale = kilo * kilo;
    else if (!unit.empty()) throw usage_error(option, text, why);
    return v * scale;
}

}  // namespace twolayer::tool::sweep
