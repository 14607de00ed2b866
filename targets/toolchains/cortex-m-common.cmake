# Bare-metal Cortex-M on the QEMU MPS2/MPS3 boards. The including file sets
#   TWOLAYER_MCU_FLAGS   -mcpu / -mfpu / -mfloat-abi
#   TWOLAYER_QEMU_BOARD  qemu-system-arm -M value
#   TWOLAYER_MCU_MEMORY  linker --defsym list for targets/cortex-m/mps.ld (empty: the MPS2 map)
# ctest runs each test image through targets/cortex-m/run-qemu.sh, so plain ctest works.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)  # compiler checks need no startup code
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)
set(CMAKE_EXECUTABLE_SUFFIX_CXX .elf)

set(CMAKE_C_FLAGS_INIT "${TWOLAYER_MCU_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT "${TWOLAYER_MCU_FLAGS} -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit")
# newlib-nano for the few libc/libm functions used; our own startup and linker script.
set(CMAKE_EXE_LINKER_FLAGS_INIT "${TWOLAYER_MCU_FLAGS} --specs=nano.specs --specs=nosys.specs -nostartfiles -Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(TWOLAYER_BARE_METAL ON)
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../cortex-m/run-qemu.sh ${TWOLAYER_QEMU_BOARD})
