// Bad input to the tool: a value out of range, an unknown name, a file that does not exist or does
// not hold what it must. main.cpp prints it as ONE line, "twolayer CMD: --option value: why", and
// exits with code 2; nothing the command was writing is left behind (atomic_file).
#pragma once
#include <stdexcept>
#include <string>

namespace twolayer::tool {

/// Thrown for bad input; what() is the one line main.cpp prints (without the command prefix).
class usage_error : public std::runtime_error {
public:
    /// option: as spelled on the command line ("--N"; "" when no option is concerned);
    /// value: what the user gave; why: what is wrong with it, and what would be right.
    usage_error(const std::string& option, const std::string& value, const std::string& why)
        : std::runtime_error(format(option, value, why)) {}
    /// A message that names no option (e.g. two options that contradict each other).
    explicit usage_error(const std::string& message) : std::runtime_error(message) {}

private:
    static std::string format(const std::string& option, const std::string& value, const std::string& why) {
        std::string s = option;
        if (!value.empty()) s += (s.empty() ? "" : " ") + value;
        return s.empty() ? why : s + ": " + why;
    }
};

}  // namespace twolayer::tool
