#include "grids.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "../number_text.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool::research {

std::vector<double> parse_log_grid(const std::string& text, const std::string& option) {
    double a = 0, b = 0, n = 0;
    std::size_t pos = 0;
    if (!number_at(text, pos, ':', a) || !number_at(text, pos, ':', b) || !number_at(text, pos, '\0', n))
        throw usage_error(option, text, "expected a:b:n (n log-spaced points from a to b inclusive, e.g. 1:100:21)");
    if (n != std::floor(n) || n < 1 || n > 1e4) throw usage_error(option, text, "n must be a whole number in 1 .. 10^4");
    if (!std::isfinite(a) || !std::isfinite(b) || a <= 0 || b <= 0) throw usage_error(option, text, "a and b must be numbers > 0");
    if (a > b) throw usage_error(option, text, "a must not exceed b");
    if (n == 1 && a != b) throw usage_error(option, text, "one point (n = 1) needs a = b");
    std::vector<double> out(static_cast<std::size_t>(n));
    const double la = std::log(a), lb = std::log(b);
    // exp(log(a)) need not be a: clamped, no point falls outside [a, b] (a = b gave points above b).
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = out.size() == 1 ? a : std::clamp(std::exp(la + (lb - la) * double(i) / double(out.size() - 1)), a, b);
    out.front() = a;
    out.back() = b;
    return out;
}

std::vector<long> parse_int_list(const std::string& text, const std::string& option, long lo, long hi) {
    std::vector<long> out;
    std::size_t pos = 0;
    const std::string range = std::to_string(lo) + " .. " + std::to_string(hi);
    while (true) {
        const std::size_t stop = std::min(text.find(',', pos), text.size());
        const std::string item = text.substr(pos, stop - pos);
        if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos || item.size() > 12)
            throw usage_error(option, text, "expected whole numbers in " + range + " separated by ',' (e.g. 8,32,128)");
        const long v = std::strtol(item.c_str(), nullptr, 10);
        if (v < lo || v > hi) throw usage_error(option, text, item + " is not in " + range);
        if (!out.empty() && v <= out.back()) throw usage_error(option, text, "the values must increase");
        out.push_back(v);
        if (stop == text.size()) break;
        pos = stop + 1;
    }
    return out;
}

double median_of_finite(std::vector<double> x) {
    x.erase(std::remove_if(x.begin(), x.end(), [](double v) { return !std::isfinite(v); }), x.end());
    if (x.empty()) return NAN;
    std::sort(x.begin(), x.end());
    const std::size_t h = x.size() / 2;
    return x.size() % 2 ? x[h] : 0.5 * (x[h - 1] + x[h]);
}

}  // namespace twolayer::tool::research
