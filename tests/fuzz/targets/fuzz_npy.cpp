// libFuzzer target: the tool's strict .npy reader (src/tool/npy) on arbitrary bytes, read from
// memory through npy::read(std::istream&), the entry read_file itself uses. Invariants, any
// violation an abort the fuzzer reports (an exception other than npy::error escapes and is one
// too):
//   - a refused input is one npy::error whose message is one line, "fuzz input: ...";
//   - an accepted array has prod(shape) values; first_non_finite, require_finite and matches
//     agree with its values and shape (what read_expect decides by);
//   - written back (float32 as float32, every other dtype widened exactly to float64) and read
//     again, it has the same shape and the same values (NaN as NaN).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include "tool/npy/npy.hpp"

namespace {

namespace npy = twolayer::tool::npy;

void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz_npy: invariant violated: %s\n", what);
    std::abort();
}

bool one_line_error(const npy::error& e, const std::string& name) {
    const std::string m = e.what();
    return m.find('\n') == std::string::npos && m.compare(0, name.size() + 2, name + ": ") == 0 &&
           m.size() > name.size() + 2 && e.problem() == m.substr(name.size() + 2);
}

bool same_value(double a, double b) { return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0; }

// What read_expect decides by, against the values themselves.
void check_consistent(const npy::array& a) {
    require(a.values.size() == npy::element_count(a.shape, "shape"), "values do not fill the shape");
    const auto bad = npy::first_non_finite(a);
    for (std::size_t i = 0; i < a.values.size() && (!bad || i < *bad); ++i)
        require(std::isfinite(a.values[i]), "first_non_finite skipped a NaN or infinity");
    if (bad) require(*bad < a.values.size() && !std::isfinite(a.values[*bad]), "first_non_finite names a finite value");
    bool threw = false;
    try {
        npy::require_finite(a, "array");
    } catch (const npy::error& e) {
        threw = true;
        require(one_line_error(e, "array"), "require_finite's message is not one line naming the array");
    }
    require(threw == bool(bad), "require_finite disagrees with first_non_finite");
    npy::shape_pattern any(a.shape.size(), -1), exact(a.shape.begin(), a.shape.end());
    require(npy::matches(a.shape, any) && npy::matches(a.shape, exact), "matches refuses the array's own shape");
    any.push_back(-1);
    require(!npy::matches(a.shape, any), "matches accepts another rank");
}

void check_round_trip(const npy::array& a) {
    const npy::dtype as = a.stored == npy::dtype::float32 ? npy::dtype::float32 : npy::dtype::float64;
    std::ostringstream out;
    npy::write(out, a.shape, a.values.data(), as);
    std::istringstream in(out.str());
    const npy::array b = npy::read(in, "round trip");
    require(b.shape == a.shape && b.stored == as, "the array read back has another shape or dtype");
    for (std::size_t i = 0; i < a.values.size(); ++i)
        require(same_value(a.values[i], b.values[i]), "the array read back has another value");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    npy::array a;
    try {
        a = npy::read(in, "fuzz input");
    } catch (const npy::error& e) {
        require(one_line_error(e, "fuzz input"), "the reader's message is not one line naming the input");
        return 0;
    }
    check_consistent(a);
    check_round_trip(a);
    return 0;
}
