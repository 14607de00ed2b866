#include "array.hpp"

#include <limits>

namespace twolayer::tool::npy {

std::size_t itemsize(dtype t) {
    switch (t) {
    case dtype::int8:
    case dtype::uint8: return 1;
    case dtype::float32:
    case dtype::int32: return 4;
    case dtype::float64:
    case dtype::int64: return 8;
    }
    return 0;
}

std::string descr_of(dtype t) {
    switch (t) {
    case dtype::float32: return "<f4";
    case dtype::float64: return "<f8";
    case dtype::int8: return "|i1";
    case dtype::uint8: return "|u1";
    case dtype::int32: return "<i4";
    case dtype::int64: return "<i8";
    }
    return "?";
}

std::size_t element_count(const std::vector<std::size_t>& shape, const std::string& name) {
    // As NumPy: the product of the NONZERO extents must fit even when an extent is 0 (NumPy
    // refuses (0, 2^40, 2^40) too), so a shape is valid or not whatever its zeros.
    std::size_t n = 1;
    bool empty = false;
    for (std::size_t d : shape) {
        if (d == 0) {
            empty = true;
            continue;
        }
        if (n > std::numeric_limits<std::size_t>::max() / d)
            throw error(name, "shape " + shape_string(shape) + " has more elements than fit in 64 bits");
        n *= d;
    }
    return empty ? 0 : n;
}

std::string shape_string(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace twolayer::tool::npy
