#include "decode.hpp"

#include <cstdint>
#include <cstring>

namespace twolayer::tool::npy::detail {

namespace {

// The n-byte unsigned integer at p, in the file's byte order (independent of the host's).
std::uint64_t load(const unsigned char* p, std::size_t n, bool big_endian) {
    std::uint64_t u = 0;
    for (std::size_t b = 0; b < n; ++b) u |= std::uint64_t(p[big_endian ? n - 1 - b : b]) << (8 * b);
    return u;
}

// The two's-complement value of the low `bits` bits of u.
std::int64_t as_signed(std::uint64_t u, unsigned bits) {
    if (bits < 64 && (u >> (bits - 1)) != 0) u |= ~std::uint64_t(0) << bits;
    std::int64_t s;
    std::memcpy(&s, &u, sizeof s);
    return s;
}

double int64_to_double(std::int64_t v, std::size_t index, const std::string& name) {
    const double d = static_cast<double>(v);
    // 2^63 is the one double the cast can round up to outside int64: compare before casting back.
    if (d >= 9223372036854775808.0 || static_cast<std::int64_t>(d) != v)
        throw error(name, "element " + std::to_string(index) + " (int64 " + std::to_string(v) +
                              ") is not exactly representable as a double (expected |value| <= 2^53)");
    return d;
}

double element(std::uint64_t u, dtype t, std::size_t index, const std::string& name) {
    switch (t) {
    case dtype::float32: {
        const std::uint32_t bits = std::uint32_t(u);
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
    }
    case dtype::float64: {
        double d;
        std::memcpy(&d, &u, sizeof d);
        return d;
    }
    case dtype::int8: return double(as_signed(u, 8));
    case dtype::uint8: return double(u);
    case dtype::int32: return double(as_signed(u, 32));
    case dtype::int64: return int64_to_double(as_signed(u, 64), index, name);
    }
    return 0;
}

}  // namespace

void decode(const std::string& bytes, dtype t, bool big_endian, std::vector<double>& out, const std::string& name) {
    const std::size_t size = itemsize(t);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i + size <= bytes.size(); i += size) out.push_back(element(load(p + i, size, big_endian), t, out.size(), name));
}

std::vector<double> c_order_from_fortran(const std::vector<double>& values, const std::vector<std::size_t>& shape) {
    const std::size_t rank = shape.size();
    std::vector<std::size_t> stride(rank);  // the Fortran stride of each axis: the first varies fastest
    std::size_t s = 1;
    for (std::size_t d = 0; d < rank; ++d) {
        stride[d] = s;
        s *= shape[d];
    }
    std::vector<double> out(values.size());
    std::vector<std::size_t> index(rank, 0);
    std::size_t from = 0;  // the Fortran position of `index`, kept up to date as the C odometer turns
    for (std::size_t c = 0; c < out.size(); ++c) {
        out[c] = values[from];
        for (std::size_t d = rank; d-- > 0;) {
            from += stride[d];
            if (++index[d] < shape[d]) break;
            from -= stride[d] * shape[d];
            index[d] = 0;
        }
    }
    return out;
}

}  // namespace twolayer::tool::npy::detail
