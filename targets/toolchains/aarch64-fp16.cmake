# Raspberry Pi 5 class: Cortex-A76 (Armv8.2-A with half-precision arithmetic).
set(TWOLAYER_CPU cortex-a76)
set(TWOLAYER_EXPECTED_ARCH neon_fp16)
include(${CMAKE_CURRENT_LIST_DIR}/aarch64.cmake)
