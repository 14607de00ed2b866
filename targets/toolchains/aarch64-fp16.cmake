# Raspberry Pi 5 class: Cortex-A76 (Armv8.2-A with half-precision arithmetic).
set(TWOLAYER_CPU cortex-a76)
include(${CMAKE_CURRENT_LIST_DIR}/aarch64.cmake)
