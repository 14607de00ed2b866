// The guard's randomized differential test (tests/guard_property.hpp says what it checks), a
// bounded count per format on every preset: here float, double, f16 and bf16;
// test_guard_property_fixed.cpp and test_guard_property_mixed.cpp hold the other formats (the
// their own binaries). The long run (10^7 steps per format) is tools/guard-property on the host
// (docs/GUARD_PROPERTY.md). Each test prints its counts per path and the first violating cases
// with the seed and step that reproduce them.
#include "guard_property_test.hpp"

using guard_property::property_test;

TL_TEST(guard_property_double) { property_test<double>(); }
TL_TEST(guard_property_float) { property_test<float>(); }
TL_TEST(guard_property_f16) { property_test<twolayer::f16>(); }
TL_TEST(guard_property_bf16) { property_test<twolayer::bf16>(); }
