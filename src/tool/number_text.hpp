// Reading a number out of a piece of command-line text, for the options that hold several
// ("a:b:n" grids): strict (the whole piece must be the number), no locale, no exceptions.
#pragma once
#include <cstddef>
#include <string>

namespace twolayer::tool {

/// Reads the number text[pos .. stop), where stop is the next `end` after pos (or the end of the
/// text when end is '\0'), into value and moves pos past the separator. False, value unspecified
/// and pos unchanged, when the piece is empty, has no `end` after it, or is not a number in full
/// (strtod's syntax: "1e-3", "inf" and "nan" are numbers; range checks are the caller's).
bool number_at(const std::string& text, std::size_t& pos, char end, double& value);

}  // namespace twolayer::tool
