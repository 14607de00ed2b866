// What a .npy file holds once read: its shape, the element type it stored, and the values as
// doubles in C order; and the one error type of the .npy code. The tool computes in double, so
// every stored type is widened on reading (exactly: a stored value that double cannot hold is an
// error, never a silent rounding).
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace twolayer::tool::npy {

/// The element type a file stores. Reading takes all of them; writing float32 and float64 only
/// (the tool writes weights and order parameters, never integers).
enum class dtype { float32, float64, int8, uint8, int32, int64 };

/// Bytes per element of t.
std::size_t itemsize(dtype t);
/// NumPy's little-endian spelling of t ("<f8", "|u1"), as written in a header's 'descr'.
std::string descr_of(dtype t);

/// An array read from a .npy file: values in C (row-major) order, values.size() == prod(shape)
/// (1 for shape ()).
struct array {
    std::vector<std::size_t> shape;
    dtype stored = dtype::float64;
    std::vector<double> values;
};

/// A malformed, truncated or unreadable .npy file, or an array that cannot be written. what() is
/// one line, "name: what is wrong (expected ..., found ...)"; problem() is the same without
/// "name: ", for callers that name the file themselves (read_expect).
class error : public std::runtime_error {
public:
    error(const std::string& name, const std::string& problem)
        : std::runtime_error(name + ": " + problem), problem_(problem) {}
    /// The message without the file's name.
    const std::string& problem() const { return problem_; }

private:
    std::string problem_;
};

/// prod(shape) (1 for rank 0); throws error(name, ...) when the product of its nonzero extents
/// does not fit in size_t (as NumPy, which refuses such a shape even with a zero extent).
std::size_t element_count(const std::vector<std::size_t>& shape, const std::string& name);
/// A shape as Python prints a tuple: "()", "(3,)", "(2, 3)".
std::string shape_string(const std::vector<std::size_t>& shape);

}  // namespace twolayer::tool::npy
