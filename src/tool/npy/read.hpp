// The strict .npy reader: a file is taken only when every byte of it is what the format says,
// so a truncated download, a file cut by a full disk or a stray file of another kind is refused
// with one line naming the file and what is wrong, never read as garbage.
#pragma once
#include <istream>
#include <string>

#include "array.hpp"

namespace twolayer::tool::npy {

/// Reads one .npy array (format versions 1.0, 2.0 and 3.0) from the whole of `in`:
/// - the magic "\x93NUMPY", the version, the header length, a header parsed as a Python dict;
/// - dtypes f4, f8, i4, i8 in either byte order, and i1, u1 (see dtype), widened to double;
///   an int64 that double cannot hold exactly is an error;
/// - fortran_order True is accepted: the values are transposed to C order (np.save(W.T) writes
///   one), so the array reads as NumPy shows it;
/// - exactly prod(shape) * itemsize data bytes: fewer (truncated) or more (trailing) is an error.
/// Throws error(name, ...) otherwise; name is what messages call the source (a path).
array read(std::istream& in, const std::string& name);

/// read() on the file at path; a file that cannot be opened is an error(path, ...) too.
array read_file(const std::string& path);

}  // namespace twolayer::tool::npy
