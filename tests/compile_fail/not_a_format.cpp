// A type without format_traits is not a number format.
// expect-error: no format_traits<F> for this type
#include "twolayer/format/check.hpp"
static_assert(twolayer::require_format<int>::value);
