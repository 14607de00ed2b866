// The --name of `twolayer export`: the C++ namespace the header's arrays live in, checked so that
// the header always compiles and never collides with the library or the standard library.
#pragma once
#include <string>

namespace twolayer::tool::exporter {

/// Throws usage_error naming --name unless name is one or more C++ identifiers joined by "::"
/// (a nested namespace, "board::net"), none a keyword or an alternative token ("and"), none
/// reserved to the implementation (two underscores, or one and a capital, at the start), and the
/// first not "std" or "twolayer".
void check_identifier(const std::string& name);

}  // namespace twolayer::tool::exporter
