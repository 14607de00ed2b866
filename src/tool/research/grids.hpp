// The grids of `twolayer retrain` and `twolayer width`: a log-spaced a:b:n (class weights) and a
// comma-separated list of positive integers (widths, sample counts).
#pragma once
#include <string>
#include <vector>

namespace twolayer::tool::research {

/// The n points a, a (b/a)^(1/(n-1)), ..., b of "a:b:n", log-spaced (n = 1: a, which must equal
/// b; the first point is exactly a, the last exactly b, none outside [a, b], in order). Throws usage_error naming `option` when the text is not three
/// numbers separated by ':', n is not a whole number in 1 .. 10^4, a or b is not finite and > 0,
/// or a > b.
std::vector<double> parse_log_grid(const std::string& text, const std::string& option);

/// The values of "8,32,128": whole numbers in [lo, hi], strictly increasing. Throws usage_error
/// naming `option` otherwise (an empty item, a sign, a fraction, a repeat, out of range).
std::vector<long> parse_int_list(const std::string& text, const std::string& option, long lo, long hi);

/// The median of the finite values of x (NaN when there is none).
double median_of_finite(std::vector<double> x);

}  // namespace twolayer::tool::research
