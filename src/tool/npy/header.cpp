#include "header.hpp"

#include <cstdint>
#include <limits>

#include "header_lexer.hpp"

namespace twolayer::tool::npy {

namespace {

using detail::describe;
using detail::token;
using detail::token_kind;

const char* const supported_descrs = "'<f4', '<f8', '<i4', '<i8', '|i1', '|u1' or the same with '>'";

// A recursive-descent parser of the header dict; each function consumes one construct.
class header_parser {
public:
    header_parser(const std::string& text, const std::string& name) : lex_(text, name), name_(name) {}
    header parse();

private:
    [[noreturn]] void fail(const std::string& problem) const { throw error(name_, "bad header: " + problem); }
    token expect(token_kind kind, const std::string& what);
    void parse_value(const std::string& key, header& h);
    void parse_descr(const token& t, header& h) const;
    bool parse_bool(const token& t) const;
    std::vector<std::size_t> parse_shape();
    std::size_t parse_extent(const token& t) const;

    detail::header_lexer lex_;
    std::string name_;
    bool seen_descr_ = false, seen_fortran_ = false, seen_shape_ = false;
};

token header_parser::expect(token_kind kind, const std::string& what) {
    token t = lex_.next();
    if (t.kind != kind) fail("expected " + what + " (found " + describe(t) + ")");
    return t;
}

header header_parser::parse() {
    header h;
    expect(token_kind::lbrace, "the dict's '{'");
    token t = lex_.next();
    while (t.kind != token_kind::rbrace) {
        if (t.kind != token_kind::string) fail("expected a key 'descr', 'fortran_order' or 'shape' (found " + describe(t) + ")");
        const std::string key = t.text;
        expect(token_kind::colon, "':' after '" + detail::printable(key) + "'");
        parse_value(key, h);
        t = lex_.next();
        if (t.kind == token_kind::comma)
            t = lex_.next();
        else if (t.kind != token_kind::rbrace)
            fail("expected ',' or '}' after the value of '" + detail::printable(key) + "' (found " + describe(t) + ")");
    }
    const token rest = lex_.next();
    if (rest.kind != token_kind::end) fail("text after the dict (expected only padding, found " + describe(rest) + ")");
    if (!seen_descr_) fail("the key 'descr' is missing");
    if (!seen_fortran_) fail("the key 'fortran_order' is missing");
    if (!seen_shape_) fail("the key 'shape' is missing");
    return h;
}

void header_parser::parse_value(const std::string& key, header& h) {
    bool* seen = key == "descr" ? &seen_descr_ : key == "fortran_order" ? &seen_fortran_ : key == "shape" ? &seen_shape_ : nullptr;
    if (!seen) fail("unknown key '" + detail::printable(key) + "' (expected 'descr', 'fortran_order' and 'shape' only)");
    if (*seen) fail("the key '" + key + "' appears twice");
    *seen = true;
    if (key == "shape") {
        h.shape = parse_shape();
        return;
    }
    const token t = lex_.next();
    if (key == "descr")
        parse_descr(t, h);
    else
        h.fortran_order = parse_bool(t);
}

void header_parser::parse_descr(const token& t, header& h) const {
    if (t.kind != token_kind::string)
        fail("'descr' must be a string such as '<f8' (found " + describe(t) +
             (t.text == "[" ? "; structured dtypes are not supported)" : ")"));
    const std::string& d = t.text;
    const std::string shown = detail::printable(d);  // the text itself may hold any byte
    const std::string type = d.size() > 1 ? d.substr(1) : "";
    const dtype* found = nullptr;
    static const std::pair<const char*, dtype> known[] = {{"f4", dtype::float32}, {"f8", dtype::float64}, {"i1", dtype::int8},
                                                          {"u1", dtype::uint8},   {"i4", dtype::int32},   {"i8", dtype::int64}};
    for (const auto& k : known)
        if (type == k.first) found = &k.second;
    if (!found) fail("unsupported descr '" + shown + "' (expected " + supported_descrs + ")");
    const char order = d[0];
    const bool one_byte = itemsize(*found) == 1;
    if (order == '|' && !one_byte)
        fail("descr '" + shown + "' gives no byte order for a " + std::to_string(itemsize(*found)) + "-byte type (expected '<" +
             type + "' or '>" + type + "')");
    if (order != '<' && order != '>' && order != '|')
        fail("descr '" + shown + "' has no byte order a file can mean (expected '<" + type + "' or '>" + type + "')");
    h.stored = *found;
    h.big_endian = order == '>' && !one_byte;
}

bool header_parser::parse_bool(const token& t) const {
    if (t.kind == token_kind::name && t.text == "True") return true;
    if (t.kind == token_kind::name && t.text == "False") return false;
    fail("'fortran_order' must be True or False (found " + describe(t) + ")");
}

std::vector<std::size_t> header_parser::parse_shape() {
    expect(token_kind::lparen, "a tuple '(' for 'shape'");
    std::vector<std::size_t> shape;
    token t = lex_.next();
    while (t.kind != token_kind::rparen) {
        shape.push_back(parse_extent(t));
        t = lex_.next();
        if (t.kind == token_kind::rparen && shape.size() == 1)
            fail("'shape' (" + std::to_string(shape[0]) + ") is an int in Python, not a tuple (expected (" +
                 std::to_string(shape[0]) + ",))");
        if (t.kind == token_kind::rparen) break;
        if (t.kind != token_kind::comma) fail("expected ',' or ')' in 'shape' (found " + describe(t) + ")");
        t = lex_.next();
    }
    return shape;
}

std::size_t header_parser::parse_extent(const token& t) const {
    if (t.kind != token_kind::integer) fail("expected an extent in 'shape' (found " + describe(t) + ")");
    const std::string& s = t.text;
    if (s[0] == '-') fail("negative extent " + s + " in 'shape' (expected an integer >= 0)");
    std::size_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') fail("extent " + s + " in 'shape' is not a decimal integer");
        const std::size_t digit = std::size_t(c - '0');
        if (v > (std::numeric_limits<std::size_t>::max() - digit) / 10) fail("extent " + s + " in 'shape' does not fit in 64 bits");
        v = v * 10 + digit;
    }
    // Python reads "007" as a syntax error, so NumPy would refuse the file.
    if (s.size() > 1 && s[0] == '0') fail("extent " + s + " in 'shape' has a leading zero (not a Python int)");
    return v;
}

}  // namespace

header parse_header(const std::string& text, const std::string& name) {
    if (text.empty()) throw error(name, "bad header: the header is empty (expected a dict ending with a newline)");
    if (text.back() != '\n')
        throw error(name, "bad header: it does not end with a newline (expected '\\x0a' last, found '" +
                              detail::printable(text.back()) + "')");
    return header_parser(text, name).parse();
}

std::string header_dict(dtype t, const std::vector<std::size_t>& shape) {
    return "{'descr': '" + descr_of(t) + "', 'fortran_order': False, 'shape': " + shape_string(shape) + ", }";
}

}  // namespace twolayer::tool::npy
