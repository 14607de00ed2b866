// Command-line numbers for the host tools: a value outside [lo, hi], or not a number at all, is
// refused with a message that names the tool, the flag and the accepted range.
#pragma once
#include <cerrno>
#include <cstdio>
#include <cstdlib>

inline bool parse_number(const char* tool, const char* flag, const char* text, double lo, double hi, double& out) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text, &end);
    if (errno || end == text || *end || !(v >= lo && v <= hi)) {
        std::fprintf(stderr, "%s: %s needs a number in [%g, %g], got '%s'\n", tool, flag, lo, hi, text);
        return false;
    }
    out = v;
    return true;
}
