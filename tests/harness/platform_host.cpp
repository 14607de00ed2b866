// Harness output for hosted targets (the host, and ARM Linux under qemu-user).
#include <cstdio>

#include "harness.hpp"

#ifndef TWOLAYER_TARGET_NAME
#define TWOLAYER_TARGET_NAME "host"
#endif

namespace tl_test {
void platform_write(const char* s, std::size_t n) {
    std::fwrite(s, 1, n, stdout);
    std::fflush(stdout);
}
const char* platform_name() { return TWOLAYER_TARGET_NAME; }
}  // namespace tl_test
