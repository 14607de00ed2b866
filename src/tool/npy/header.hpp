// The header of a .npy file: the Python dict literal after the length field, e.g.
//   {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }
// followed by space padding and a newline. The reader parses it as the Python literal it is
// (keys in any order, any whitespace, an optional trailing comma) and refuses anything NumPy
// would not load or the tool cannot take (unknown or duplicate keys, other dtypes, non-tuples).
#pragma once
#include <string>
#include <vector>

#include "array.hpp"

namespace twolayer::tool::npy {

/// What a header says about the data after it.
struct header {
    dtype stored = dtype::float64;
    bool big_endian = false;     ///< elements stored most significant byte first ('>')
    bool fortran_order = false;  ///< elements stored in column-major order
    std::vector<std::size_t> shape;
};

/// Parses the header text (everything after the length field, through the final newline);
/// throws error(name, "bad header: ...") naming what was expected and what was found.
header parse_header(const std::string& text, const std::string& name);

/// The dict NumPy writes for a C-order little-endian array of type t (no padding, no newline).
std::string header_dict(dtype t, const std::vector<std::size_t>& shape);

}  // namespace twolayer::tool::npy
