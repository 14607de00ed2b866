#include "alpha_grid.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "../number_text.hpp"
#include "../usage_error.hpp"

namespace twolayer::tool::hessian {

void check_alpha(double alpha, const std::string& option, const std::string& text) {
    if (!std::isfinite(alpha) || alpha <= 0) throw usage_error(option, text, "alpha must be a number > 0");
}

std::vector<double> parse_scan(const std::string& text) {
    const std::string opt = "--scan-alpha";
    double a = 0, b = 0, n = 0;
    std::size_t pos = 0;
    if (!number_at(text, pos, ':', a) || !number_at(text, pos, ':', b) || !number_at(text, pos, '\0', n))
        throw usage_error(opt, text, "expected a:b:n (n points from a to b inclusive, e.g. 1:8:8)");
    if (n != std::floor(n) || n < 1 || n > 1e6) throw usage_error(opt, text, "n must be a whole number in 1 .. 10^6");
    check_alpha(a, opt, text);
    check_alpha(b, opt, text);
    if (a > b) throw usage_error(opt, text, "a must not exceed b");
    if (n == 1 && a != b) throw usage_error(opt, text, "one point (n = 1) needs a = b");
    std::vector<double> out(static_cast<std::size_t>(n));
    for (std::size_t i = 1; i < out.size(); ++i) {
        // (b - a) i overflows to inf for b near the largest double (a point above b): then the
        // fraction i / (n - 1) first. Only then: every grid that was finite keeps its bits.
        const double span = (b - a) * double(i), last = double(out.size() - 1);
        out[i] = std::min(b, std::isfinite(span) ? a + span / last : a + (b - a) * (double(i) / last));
    }
    out.front() = a;
    out.back() = b;
    return out;
}

}  // namespace twolayer::tool::hessian
