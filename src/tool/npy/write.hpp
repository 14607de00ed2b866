// The .npy writer: what np.load reads back as the same shape, dtype and values. Version 1.0 with
// the header padded so the data starts at a multiple of 64 bytes (NumPy's alignment); version 2.0
// only when the header does not fit 1.0's 16-bit length; little endian, C order.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "array.hpp"

namespace twolayer::tool::npy {

/// Writes prod(shape) values (C order) as dtype `as` (float32 or float64; another dtype is a
/// programming error, std::invalid_argument). NaN and infinities are written as they are; a
/// finite value outside float32's range is refused (error), not turned into an infinity.
/// Throws error("npy output", ...) when the stream fails.
void write(std::ostream& out, const std::vector<std::size_t>& shape, const double* values, dtype as);

/// write() to path through atomic_file: the file appears complete or not at all (a failure
/// leaves what was there before). A path that cannot be created is a usage_error naming option.
void write_file(const std::string& path, const std::vector<std::size_t>& shape, const double* values, dtype as,
                const std::string& option);

/// write_file() of an array as dtype `as`.
void write_file(const std::string& path, const array& a, dtype as, const std::string& option);

}  // namespace twolayer::tool::npy
