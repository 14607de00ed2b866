#include "identifier.hpp"

#include <cctype>
#include <set>
#include <vector>

#include "../usage_error.hpp"

namespace twolayer::tool::exporter {

namespace {

// C++17's keywords and alternative tokens: no identifier may be one.
const std::set<std::string>& keywords() {
    static const std::set<std::string> k = {
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
        "char", "char16_t", "char32_t", "class", "compl", "const", "constexpr", "const_cast", "continue",
        "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum", "explicit", "export",
        "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace",
        "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public",
        "register", "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_assert",
        "static_cast", "struct", "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef",
        "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while",
        "xor", "xor_eq", "char8_t", "concept", "consteval", "constinit", "co_await", "co_return", "co_yield",
        "requires"};  // the last line: C++20's, so the header stays valid in a newer build
    return k;
}

std::vector<std::string> split_scopes(const std::string& name) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t at; (at = name.find("::", start)) != std::string::npos; start = at + 2)
        parts.push_back(name.substr(start, at - start));
    parts.push_back(name.substr(start));
    return parts;
}

// Why `part` is not an identifier the header may use, or "" when it is.
std::string problem_with(const std::string& part) {
    if (part.empty()) return "an empty name (before, between or after '::')";
    const auto alnum = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
    if (std::isdigit(static_cast<unsigned char>(part[0]))) return "'" + part + "' starts with a digit";
    for (char ch : part)
        if (!alnum(ch)) return "'" + part + "' holds '" + std::string(1, ch) + "' (letters, digits and '_' only)";
    if (keywords().count(part)) return "'" + part + "' is a C++ keyword";
    if (part.find("__") != std::string::npos || (part[0] == '_' && part.size() > 1 && std::isupper(static_cast<unsigned char>(part[1]))))
        return "'" + part + "' is reserved to the compiler (a double underscore, or '_' and a capital)";
    return "";
}

}  // namespace

void check_identifier(const std::string& name) {
    const std::vector<std::string> parts = split_scopes(name);
    for (const std::string& part : parts) {
        const std::string why = problem_with(part);
        if (!why.empty()) throw usage_error("--name", name, "not a C++ namespace name: " + why);
    }
    if (parts[0] == "std" || parts[0] == "twolayer")
        throw usage_error("--name", name, "the namespace " + parts[0] + " is taken (choose your own, e.g. my_net)");
}

}  // namespace twolayer::tool::exporter
