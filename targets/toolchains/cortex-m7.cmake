# Cortex-M7 with double-precision FPU on QEMU mps2-an500.
set(TWOLAYER_MCU_FLAGS "-mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard")
set(TWOLAYER_QEMU_BOARD mps2-an500)
set(TWOLAYER_MCU_MEMORY "")
set(TWOLAYER_EXPECTED_ARCH dsp)  # the kernel arch the tests hold this build to
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
