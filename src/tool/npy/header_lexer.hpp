// The tokens of the Python literal subset a .npy header uses: braces, parentheses, ':' and ',',
// quoted strings (no escapes: no valid header needs one), integers (an optional '-' and digits;
// the parser judges them) and names (True, False). Anything else is one 'other' token, so the
// parser can say what it found.
#pragma once
#include <cstddef>
#include <string>
#include <utility>

namespace twolayer::tool::npy::detail {

enum class token_kind { lbrace, rbrace, lparen, rparen, colon, comma, string, integer, name, end, other };

/// One token: its kind and its text (a string's contents without the quotes).
struct token {
    token_kind kind = token_kind::end;
    std::string text;
};

/// A byte as a message shows it: itself when printable ASCII, else \xNN.
std::string printable(char c);
/// Bytes as a message shows them, each as printable(c): a header's string may hold a newline or a
/// NUL, which would break the one-line message or cut it short where it is printed.
std::string printable(const std::string& bytes);

/// How a token reads in a message: "'descr'", "':'", "the end of the header".
std::string describe(const token& t);

/// Splits a header into tokens, skipping Python's whitespace between them. Throws
/// error(name, "bad header: ...") for a string that does not close or holds a backslash.
class header_lexer {
public:
    header_lexer(const std::string& text, std::string name) : s_(text), name_(std::move(name)) {}
    /// The next token (kind end once the text is used up).
    token next();

private:
    token quoted(char quote);
    token run(token_kind kind, bool (*belongs)(char));
    const std::string& s_;
    std::string name_;
    std::size_t pos_ = 0;
};

}  // namespace twolayer::tool::npy::detail
