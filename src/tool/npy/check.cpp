#include "check.hpp"

#include <cmath>
#include <cstdio>

#include "../usage_error.hpp"
#include "read.hpp"

namespace twolayer::tool::npy {

namespace {

// The multi-index "(i, j)" of flat C-order position `flat` in shape.
std::string index_string(std::size_t flat, const std::vector<std::size_t>& shape) {
    std::vector<std::size_t> index(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        index[d] = flat % shape[d];
        flat /= shape[d];
    }
    return shape_string(index);
}

}  // namespace

std::optional<std::size_t> first_non_finite(const array& a) {
    for (std::size_t i = 0; i < a.values.size(); ++i)
        if (!std::isfinite(a.values[i])) return i;
    return std::nullopt;
}

void require_finite(const array& a, const std::string& name) {
    const auto i = first_non_finite(a);
    if (!i) return;
    char value[16];
    std::snprintf(value, sizeof value, "%g", a.values[*i]);
    throw error(name, "element " + index_string(*i, a.shape) + " is not finite (expected finite values, found " + value + ")");
}

std::string pattern_string(const shape_pattern& expected) {
    std::string s = "(";
    for (std::size_t i = 0; i < expected.size(); ++i) s += (i ? ", " : "") + (expected[i] < 0 ? "any" : std::to_string(expected[i]));
    return s + (expected.size() == 1 ? ",)" : ")");
}

bool matches(const std::vector<std::size_t>& shape, const shape_pattern& expected) {
    if (shape.size() != expected.size()) return false;
    for (std::size_t d = 0; d < shape.size(); ++d)
        if (expected[d] >= 0 && shape[d] != std::size_t(expected[d])) return false;
    return true;
}

array read_expect(const std::string& path, const std::string& option, const shape_pattern& expected, finite check) {
    try {
        array a = read_file(path);
        if (!matches(a.shape, expected))
            throw error(path, "wrong shape (expected " + pattern_string(expected) + ", found " + shape_string(a.shape) + ")");
        if (check == finite::required) require_finite(a, path);
        return a;
    } catch (const error& e) {
        throw usage_error(option, path, e.problem());
    }
}

}  // namespace twolayer::tool::npy
