// The guard's property test for the fixed-point formats with float arithmetic
// (test_guard_property.cpp says more).
#include "guard_property_test.hpp"

using guard_property::property_test;

TL_TEST(guard_property_q3_12) { property_test<twolayer::q3_12>(); }
TL_TEST(guard_property_q4_27) { property_test<twolayer::q4_27>(); }
TL_TEST(guard_property_mixed_q4_27_float) { property_test<twolayer::mixed<twolayer::q4_27, float>>(); }
