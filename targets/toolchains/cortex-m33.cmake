# Cortex-M33 (Armv8-M Mainline, single-precision FPU, DSP) on QEMU mps2-an505, which boots in the
# Secure state with its vector table at 0x10000000.
set(TWOLAYER_MCU_FLAGS "-mcpu=cortex-m33 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard")
set(TWOLAYER_QEMU_BOARD mps2-an505)
set(TWOLAYER_MCU_MEMORY "-Wl,--defsym=__flash=0x10000000,--defsym=__ram=0x38000000,--defsym=__ram_size=2M")
set(TWOLAYER_EXPECTED_ARCH dsp)  # the kernel arch the tests hold this build to
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
