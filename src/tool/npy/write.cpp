#include "write.hpp"

#include <cmath>
#include <cstdint>
#include <charconv>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "../atomic_file.hpp"
#include "header.hpp"

namespace twolayer::tool::npy {

namespace {

constexpr std::size_t alignment = 64;  // NumPy's: the data of a memory-mapped file is aligned for any type

// Magic, version, header length and the padded header: the whole preamble before the data.
std::string preamble(dtype as, const std::vector<std::size_t>& shape, const std::string& name) {
    const std::string dict = header_dict(as, shape);
    for (const int major : {1, 2}) {
        const std::size_t field = major == 1 ? 2 : 4;
        const std::size_t unpadded = 8 + field + dict.size() + 1;  // + 1: the final newline
        const std::size_t length = dict.size() + (alignment - unpadded % alignment) % alignment + 1;
        if (length > (major == 1 ? 0xffffu : 0xffffffffu)) continue;
        std::string out = "\x93NUMPY";
        out += char(major);
        out += char(0);
        for (std::size_t b = 0; b < field; ++b) out += char((length >> (8 * b)) & 0xff);
        out += dict;
        out.append(length - dict.size() - 1, ' ');
        return out + '\n';
    }
    throw error(name, "the header of shape " + shape_string(shape) + " does not fit a .npy file (expected under 4 GiB)");
}

// v in the shortest spelling that reads back as v ("1e+39", not 9.9999999999999994e+38).
std::string number(double v) {
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    return std::string(buf, end);
}

// Appends v as `as` in little-endian byte order (whatever the host's).
void append(std::string& out, double v, dtype as, std::size_t index, const std::string& name) {
    std::uint64_t bits = 0;
    std::size_t size = 8;
    if (as == dtype::float32) {
        if (std::isfinite(v) && std::fabs(v) > double(std::numeric_limits<float>::max()))
            throw error(name, "element " + std::to_string(index) + " (" + number(v) +
                                  ") is outside float32's range (expected |value| <= 3.4028235e38)");
        const float f = static_cast<float>(v);
        std::uint32_t b32;
        std::memcpy(&b32, &f, sizeof b32);
        bits = b32;
        size = 4;
    } else {
        std::memcpy(&bits, &v, sizeof bits);
    }
    for (std::size_t b = 0; b < size; ++b) out += char((bits >> (8 * b)) & 0xff);
}

void write_named(std::ostream& out, const std::vector<std::size_t>& shape, const double* values, dtype as,
                 const std::string& name) {
    if (as != dtype::float32 && as != dtype::float64)
        throw std::invalid_argument("npy::write: only float32 and float64 are written, not " + descr_of(as));
    const std::size_t count = element_count(shape, name);
    const std::string pre = preamble(as, shape, name);
    out.write(pre.data(), std::streamsize(pre.size()));
    std::string chunk;
    for (std::size_t i = 0; i < count; ++i) {
        append(chunk, values[i], as, i, name);
        if (chunk.size() >= (std::size_t(1) << 16) || i + 1 == count) {
            out.write(chunk.data(), std::streamsize(chunk.size()));
            chunk.clear();
        }
    }
    if (!out) throw error(name, "writing failed (disk full?)");
}

}  // namespace

void write(std::ostream& out, const std::vector<std::size_t>& shape, const double* values, dtype as) {
    write_named(out, shape, values, as, "npy output");
}

void write_file(const std::string& path, const std::vector<std::size_t>& shape, const double* values, dtype as,
                const std::string& option) {
    atomic_file file(path, option);
    write_named(file.stream(), shape, values, as, path);
    file.commit();
}

void write_file(const std::string& path, const array& a, dtype as, const std::string& option) {
    if (a.values.size() != element_count(a.shape, path))
        throw std::invalid_argument("npy::write_file: " + std::to_string(a.values.size()) + " values for shape " +
                                    shape_string(a.shape));
    write_file(path, a.shape, a.values.data(), as, option);
}

}  // namespace twolayer::tool::npy
