#include "read.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "decode.hpp"
#include "header.hpp"
#include "header_lexer.hpp"

namespace twolayer::tool::npy {

namespace {

constexpr char magic[] = "\x93NUMPY";
constexpr std::size_t magic_size = 6;
// Data is read in pieces of this many bytes (a multiple of every itemsize): a header that
// claims a huge array is refused when the bytes run out, before memory for all of it is taken.
constexpr std::size_t chunk_bytes = std::size_t(1) << 16;

// Reads up to n bytes into s (appending); returns how many came.
std::size_t read_some(std::istream& in, std::string& s, std::size_t n) {
    const std::size_t old = s.size();
    s.resize(old + n);
    in.read(&s[old], std::streamsize(n));
    const std::size_t got = std::size_t(in.gcount());
    s.resize(old + got);
    return got;
}

// The magic and the version; returns the size of the header-length field (2 or 4 bytes).
std::size_t read_preamble(std::istream& in, const std::string& name) {
    std::string pre;
    read_some(in, pre, magic_size + 2);
    if (pre.compare(0, magic_size, magic, std::min(pre.size(), magic_size)) != 0) {
        const std::string hint = pre.compare(0, 2, "PK") == 0 ? "; a .npz archive? pass its members as .npy files" : "";
        throw error(name, "not a .npy file (expected the magic \\x93NUMPY, found '" + detail::printable(pre.substr(0, magic_size)) + "'" +
                              hint + ")");
    }
    if (pre.size() < magic_size + 2)
        throw error(name, "truncated: the file ends inside the .npy preamble (expected 8 bytes, found " +
                              std::to_string(pre.size()) + ")");
    const int major = static_cast<unsigned char>(pre[6]), minor = static_cast<unsigned char>(pre[7]);
    if (minor != 0 || major < 1 || major > 3)
        throw error(name, "unsupported .npy version " + std::to_string(major) + "." + std::to_string(minor) +
                              " (expected 1.0, 2.0 or 3.0)");
    return major == 1 ? 2 : 4;
}

// The header text: its little-endian length field, then that many bytes.
std::string read_header_text(std::istream& in, std::size_t field_size, const std::string& name) {
    std::string field;
    if (read_some(in, field, field_size) != field_size)
        throw error(name, "truncated: the file ends inside the header length (expected " + std::to_string(field_size) +
                              " bytes, found " + std::to_string(field.size()) + ")");
    std::size_t length = 0;
    for (std::size_t b = 0; b < field_size; ++b) length |= std::size_t(static_cast<unsigned char>(field[b])) << (8 * b);
    std::string text;
    std::size_t got = 0;
    while (got < length) {
        const std::size_t want = std::min(chunk_bytes, length - got);
        const std::size_t n = read_some(in, text, want);
        got += n;
        if (n < want) break;
    }
    if (got != length)
        throw error(name, "header length " + std::to_string(length) + " runs past the end of the file (expected " +
                              std::to_string(length) + " header bytes, found " + std::to_string(got) + ")");
    return text;
}

// The data bytes prod(shape) * itemsize must take, refused when NumPy could not hold them
// (its sizes are signed 64-bit).
std::size_t data_bytes(const header& h, std::size_t count, const std::string& name) {
    const std::size_t limit = std::size_t(std::numeric_limits<std::int64_t>::max()) / itemsize(h.stored);
    if (count > limit)
        throw error(name, "shape " + shape_string(h.shape) + " of " + descr_of(h.stored) +
                              " needs more bytes than a file can hold (expected at most 2^63 - 1, found " +
                              std::to_string(count) + " elements)");
    return count * itemsize(h.stored);
}

// Bytes left in the stream, counted by reading them (the stream need not be seekable).
std::size_t count_rest(std::istream& in) {
    std::string sink;
    std::size_t rest = 0;
    while (std::size_t n = read_some(in, sink, chunk_bytes)) {
        rest += n;
        sink.clear();
    }
    return rest;
}

std::vector<double> read_values(std::istream& in, const header& h, std::size_t count, const std::string& name) {
    const std::size_t bytes = data_bytes(h, count, name);
    const std::string what = " for shape " + shape_string(h.shape) + " of " + descr_of(h.stored);
    std::vector<double> values;
    values.reserve(std::min(count, chunk_bytes));
    std::string chunk;
    std::size_t got = 0;
    while (got < bytes) {
        chunk.clear();
        const std::size_t n = read_some(in, chunk, std::min(chunk_bytes, bytes - got));
        if (n == 0)  // a partial last element shows here too: decode() leaves it, the next read finds nothing
            throw error(name, "data truncated (expected " + std::to_string(bytes) + " bytes" + what + ", found " +
                                  std::to_string(got + n) + ")");
        detail::decode(chunk, h.stored, h.big_endian, values, name);
        got += n;
    }
    if (const std::size_t rest = count_rest(in))
        throw error(name, "trailing data after the array (expected " + std::to_string(bytes) + " bytes" + what +
                              ", found " + std::to_string(bytes + rest) + ")");
    return values;
}

}  // namespace

array read(std::istream& in, const std::string& name) {
    const std::size_t field_size = read_preamble(in, name);
    const header h = parse_header(read_header_text(in, field_size, name), name);
    const std::size_t count = element_count(h.shape, name);
    array a;
    a.shape = h.shape;
    a.stored = h.stored;
    a.values = read_values(in, h, count, name);
    if (h.fortran_order) a.values = detail::c_order_from_fortran(a.values, a.shape);
    return a;
}

array read_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw error(path, "is a directory (expected a .npy file)");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error(path, std::string("cannot open the file (") + std::strerror(errno) + ")");
    return read(in, path);
}

}  // namespace twolayer::tool::npy
