// The guard's property test for narrow storage with double arithmetic
// (test_guard_property.cpp says more).
#include "guard_property_test.hpp"

using guard_property::property_test;

TL_TEST(guard_property_mixed_q4_27_double) { property_test<twolayer::mixed<twolayer::q4_27, double>>(); }
TL_TEST(guard_property_mixed_bf16_double) { property_test<twolayer::mixed<twolayer::bf16, double>>(); }
TL_TEST(guard_property_mixed_q3_12_double) { property_test<twolayer::mixed<twolayer::q3_12, double>>(); }
TL_TEST(guard_property_mixed_f16_double) { property_test<twolayer::mixed<twolayer::f16, double>>(); }
