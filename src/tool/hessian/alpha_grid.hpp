// The sample ratios of `twolayer hessian`: one --alpha, or --scan-alpha a:b:n.
#pragma once
#include <string>
#include <vector>

namespace twolayer::tool::hessian {

/// The n points a, a + (b - a)/(n - 1), ..., b of "a:b:n" (n = 1: a, which must equal b), none
/// outside [a, b], in order.
/// Throws usage_error naming --scan-alpha when the text is not three numbers separated by ':',
/// n < 1, a > b, or a <= 0.
std::vector<double> parse_scan(const std::string& text);

/// Throws usage_error naming option when alpha is not a finite number > 0.
void check_alpha(double alpha, const std::string& option, const std::string& text);

}  // namespace twolayer::tool::hessian
