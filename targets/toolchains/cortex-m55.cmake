# Cortex-M55 with Helium (MVE) and FPU on QEMU mps3-an547: code in the ITCM at 0, data in SRAM.
set(TWOLAYER_MCU_FLAGS "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard")
set(TWOLAYER_QEMU_BOARD mps3-an547)
set(TWOLAYER_MCU_MEMORY "-Wl,--defsym=__flash=0x0,--defsym=__flash_size=512K,--defsym=__ram=0x21000000,--defsym=__ram_size=4M")
set(TWOLAYER_EXPECTED_ARCH helium)  # the kernel arch the tests hold this build to
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
