// Q15 and Q31 against double: conversions within half a step, saturation that is counted and
// never wraps, NaN reported, products rounded to nearest.
#include <cmath>

#include "test_util.hpp"
#include "twolayer/format/fixed.hpp"

using namespace twolayer;

namespace {

template <class Q>
void conversions() {
    gaussian_rng g(31);
    Q::counters() = {};
    double worst = 0;
    for (int i = 0; i < 20000; ++i) {
        const double d = 0.45 * g.next();
        if (d <= Q::min || d >= Q::max) continue;
        const double err = std::fabs(Q(d).to_double() - d);
        if (err > worst) worst = err;
    }
    TL_CHECK(worst <= Q::resolution / 2);
    TL_CHECK(Q::counters().saturations == 0 && Q::counters().invalid == 0);
    TL_CHECK(Q(0.5).raw == typename Q::raw_type(1) << (Q::frac_bits - 1));
    TL_CHECK(Q(-1.0).raw == Q::raw_min);
}

template <class Q>
void saturation() {
    Q::counters() = {};
    TL_CHECK(Q(3.0).raw == Q::raw_max);
    TL_CHECK(Q(-3.0).raw == Q::raw_min);
    TL_CHECK(Q(1e300).raw == Q::raw_max);
    TL_CHECK(Q::counters().saturations == 3);
    TL_CHECK(Q(std::nan("")).raw == 0);
    TL_CHECK(Q::counters().invalid == 1);
    const Q big(0.75);
    TL_CHECK((big + big).raw == Q::raw_max);  // would wrap to negative in plain integers
    TL_CHECK((-big - big).raw == Q::raw_min);
    TL_CHECK((Q(-1.0) * Q(-1.0)).raw == Q::raw_max);  // +1 does not exist: saturates
    TL_CHECK((-Q(-1.0)).raw == Q::raw_max);
    TL_CHECK(Q::counters().saturations == 7);
}

template <class Q>
void products() {
    gaussian_rng g(32);
    int bad = 0;
    for (int i = 0; i < 20000; ++i) {
        const Q a(0.4 * g.next()), b(0.4 * g.next());
        const double exact = a.to_double() * b.to_double();
        if (std::fabs((a * b).to_double() - exact) > Q::resolution / 2) ++bad;
    }
    TL_CHECK(bad == 0);
}

}  // namespace

TL_TEST(q15_conversions) { conversions<q15>(); }
TL_TEST(q31_conversions) { conversions<q31>(); }
TL_TEST(q15_saturates_and_counts) { saturation<q15>(); }
TL_TEST(q31_saturates_and_counts) { saturation<q31>(); }
TL_TEST(q15_products_round_to_nearest) { products<q15>(); }
TL_TEST(q31_products_round_to_nearest) { products<q31>(); }
