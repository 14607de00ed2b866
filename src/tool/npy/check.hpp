// What the tool asks of an array it reads: a shape (some extents free), finite values. Errors
// here and in reading become the tool's bad-input line naming the option and the file.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "array.hpp"

namespace twolayer::tool::npy {

/// The flat (C-order) index of the first NaN or infinity in a, if any.
std::optional<std::size_t> first_non_finite(const array& a);

/// Throws error(name, ...) naming the first NaN or infinity and its index (i, j, ...).
void require_finite(const array& a, const std::string& name);

/// An expected shape: each extent a size or -1 for "any".
using shape_pattern = std::vector<long>;
/// "(3, any)" for {3, -1}.
std::string pattern_string(const shape_pattern& expected);
/// Whether shape has expected's rank and its extents where expected gives them.
bool matches(const std::vector<std::size_t>& shape, const shape_pattern& expected);

/// Whether read_expect refuses NaN and infinities (weights, data) or keeps them.
enum class finite { required, allowed };

/// read_file(path), checked against expected (and finiteness): any error, a missing file
/// included, becomes usage_error(option, path, what is wrong), so the tool prints
/// "twolayer CMD: --option path: what is wrong (expected ..., found ...)" and exits 2.
array read_expect(const std::string& path, const std::string& option, const shape_pattern& expected,
                  finite check = finite::required);

}  // namespace twolayer::tool::npy
