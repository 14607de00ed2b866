# Cortex-M4F (single-precision FPU, DSP extension) on QEMU mps2-an386. double is software.
set(TWOLAYER_MCU_FLAGS "-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
set(TWOLAYER_QEMU_BOARD mps2-an386)
set(TWOLAYER_MCU_MEMORY "")
set(TWOLAYER_EXPECTED_ARCH dsp)  # the kernel arch the tests hold this build to
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
