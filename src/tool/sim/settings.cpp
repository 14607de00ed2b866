#include "settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../usage_error.hpp"

namespace twolayer::tool {

bool format_is_native(const std::string& format) { return format == "double" || format == "float"; }

std::uint64_t total_steps(const train_settings& s) {
    return std::uint64_t(std::llround(s.training.t_max * double(s.model.N)));
}

namespace {
std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
}
}  // namespace

void check_settings(const train_settings& s) {
    const double steps = s.training.t_max * double(s.model.N);
    if (!(steps >= 0.5))
        throw usage_error("--t-max", num(s.training.t_max),
                          "less than one step at --N " + std::to_string(s.model.N) + " (t counts steps / N)");
    if (steps > 9e18) throw usage_error("--t-max", num(s.training.t_max), "more steps than a 64-bit count holds");
    if (s.batch > 0 && s.samples == 0)
        throw usage_error("--batch", std::to_string(s.batch), "needs --samples M (online SGD draws one sample per step)");
    if (s.samples > 0 && s.batch > s.samples)
        throw usage_error("--batch", std::to_string(s.batch),
                          "larger than the dataset (--samples " + std::to_string(s.samples) + ")");
    const bool native = format_is_native(s.format);
    if (native && s.rounding == rounding_mode::stochastic)
        throw usage_error("--rounding", "stochastic", "nothing is rounded in " + s.format + " (a narrow format rounds)");
    if (native && s.master)
        throw usage_error("--master", "true", "a master copy is for narrow formats; " + s.format + " is its own compute type");
    if (s.master && s.rounding == rounding_mode::stochastic)
        throw usage_error("--rounding", "stochastic", "with --master true the master copy is stored to nearest");
}

std::vector<std::uint64_t> report_steps(std::uint64_t total, long reports) {
    std::vector<std::uint64_t> out{0};
    const double hi = std::log(double(total));
    for (long i = 0; i < reports && out.back() < total; ++i) {
        const double f = reports == 1 ? 1.0 : double(i) / double(reports - 1);
        // Where log spacing is denser than whole steps (the first few), one step apart instead.
        std::uint64_t s = std::max(std::uint64_t(std::llround(std::exp(f * hi))), out.back() + 1);
        if (i == reports - 1 || s > total) s = total;
        out.push_back(s);
    }
    return out;
}

bool has_closed_form(activation_id student, activation_id teacher) {
    return student == teacher && (student == activation_id::erf || student == activation_id::relu ||
                                  student == activation_id::quadratic || student == activation_id::linear);
}

}  // namespace twolayer::tool
