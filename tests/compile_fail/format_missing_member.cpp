// A number format whose traits lack a member is rejected with a message naming that member.
// expect-error: format_traits<F>: missing 'to_double(storage)'
#include "twolayer/twolayer.hpp"

struct my_format {};
template <>
struct twolayer::format_traits<my_format> {
    using storage = float;
    using compute = float;
    using accum = float;
    static constexpr const char* name = "mine";
    static constexpr bool is_fixed = false;
    static constexpr double resolution = 1e-7, max = 1e38, dot_unit = 1, step_abs = 0;
    static float to_accum_product(float a, float b) { return a * b; }
    template <class C> static C to(float s) { return C(s); }
    template <class C> static float from(C c) { return float(c); }
    static float from_double(double d) { return float(d); }
};
twolayer::network<my_format, 4, 2> net;  // the network checks its format first
