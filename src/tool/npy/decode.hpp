// From the bytes of a .npy data section to doubles: byte order, widening, and the reordering of
// a Fortran-order array into C order. Internal to the reader.
#pragma once
#include <string>
#include <vector>

#include "array.hpp"

namespace twolayer::tool::npy::detail {

/// Appends the elements in `bytes` (whole elements of type t, big- or little-endian) to out as
/// doubles. An int64 that double cannot hold exactly throws error(name, ...).
void decode(const std::string& bytes, dtype t, bool big_endian, std::vector<double>& out, const std::string& name);

/// The C-order (row-major) arrangement of values stored in Fortran (column-major) order.
std::vector<double> c_order_from_fortran(const std::vector<double>& values, const std::vector<std::size_t>& shape);

}  // namespace twolayer::tool::npy::detail
