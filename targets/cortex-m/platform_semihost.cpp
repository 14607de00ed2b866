// Test-harness output on bare-metal boards: semihosting to the QEMU console.
#include "harness.hpp"

extern "C" void twolayer_semihost_write(const char* s, std::size_t n);

#ifndef TWOLAYER_TARGET_NAME
#define TWOLAYER_TARGET_NAME "cortex-m"
#endif

namespace tl_test {
void platform_write(const char* s, std::size_t n) { twolayer_semihost_write(s, n); }
const char* platform_name() { return TWOLAYER_TARGET_NAME; }
}  // namespace tl_test
