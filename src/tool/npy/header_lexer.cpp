#include "header_lexer.hpp"

#include <cstdio>

#include "array.hpp"

namespace twolayer::tool::npy::detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return c == '_' || is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// An integer token takes the letters that stick to it too ("3L"), so the parser refuses it whole.
bool is_integer_char(char c) { return is_name_char(c); }

}  // namespace

std::string printable(char c) {
    if (c >= 0x20 && c < 0x7f) return std::string(1, c);
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
    return buf;
}

std::string printable(const std::string& bytes) {
    std::string s;
    for (char c : bytes) s += printable(c);
    return s;
}

std::string describe(const token& t) {
    switch (t.kind) {
    case token_kind::end: return "the end of the header";
    case token_kind::string: return "the string '" + printable(t.text) + "'";
    case token_kind::other: return "'" + printable(t.text[0]) + "'";
    default: return "'" + t.text + "'";
    }
}

token header_lexer::next() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
    if (pos_ == s_.size()) return {token_kind::end, ""};
    const char c = s_[pos_];
    switch (c) {
    case '{': ++pos_; return {token_kind::lbrace, "{"};
    case '}': ++pos_; return {token_kind::rbrace, "}"};
    case '(': ++pos_; return {token_kind::lparen, "("};
    case ')': ++pos_; return {token_kind::rparen, ")"};
    case ':': ++pos_; return {token_kind::colon, ":"};
    case ',': ++pos_; return {token_kind::comma, ","};
    case '\'':
    case '"': return quoted(c);
    default: break;
    }
    if (c == '-' || is_digit(c)) {
        ++pos_;  // the sign or the first digit; run() takes the rest
        token t = run(token_kind::integer, is_integer_char);
        t.text.insert(t.text.begin(), c);
        return t;
    }
    if (is_name_char(c)) return run(token_kind::name, is_name_char);
    ++pos_;
    return {token_kind::other, std::string(1, c)};
}

token header_lexer::quoted(char quote) {
    const std::size_t start = ++pos_;
    while (pos_ < s_.size() && s_[pos_] != quote) {
        if (s_[pos_] == '\\') throw error(name_, "bad header: a backslash escape in a string (no valid header has one)");
        ++pos_;
    }
    if (pos_ == s_.size()) throw error(name_, "bad header: a string that does not close (expected " + std::string(1, quote) + ")");
    return {token_kind::string, s_.substr(start, pos_++ - start)};
}

token header_lexer::run(token_kind kind, bool (*belongs)(char)) {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && belongs(s_[pos_])) ++pos_;
    return {kind, s_.substr(start, pos_ - start)};
}

}  // namespace twolayer::tool::npy::detail
