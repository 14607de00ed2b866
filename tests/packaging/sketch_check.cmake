# packaging_platformio / packaging_arduino: the example sketch built for the Cortex-M4F with
# arm-none-eabi-g++, with exactly the include paths and flags each tool would give it, read
# from the manifests; then linked with the board support and run under QEMU (mps2-an386).
#   platformio: the installed PlatformIO library (cmake --install --component platformio):
#               library.json's build.includeDir (relative to the library root), build.flags, and
#               the example named in its "examples" list.
#   arduino:    the installed Arduino library (cmake --install --component arduino): the 1.5
#               layout's one include path <root>/src, the header of library.properties' includes=
#               (-include: what the IDE's "Include Library" inserts), the sketch
#               examples/online_training/online_training.ino. library.properties has no field for
#               compiler flags, so the sketch is built as Arduino builds it (no flag: on the M4F it
#               must report fp_contract_off=0) and then with the flag library.properties documents
#               (compiler.cpp.extra_flags=..., read from its paragraph): fp_contract_off=1.
set(mcu -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
# What a core gives every C++ unit (the Arm cores' usual set); -std=gnu++17: a C++17 core.
set(core_cxx -std=gnu++17 -O2 -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti
             -fno-threadsafe-statics -Wall -Wextra -Werror)
string(REGEX REPLACE "g\\+\\+$" "gcc" CC "${CXX}")
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(passed 0)

# run(<name> <want regex> <compile args...>): compile + link one image, run it, match its output.
function(run name want)
  execute_process(COMMAND ${CC} ${mcu} -O2 -c ${BOARD_DIR}/startup.c -o ${OUT}/startup.o
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[FAIL] startup.c: ${err}")
  endif()
  string(REPLACE ";" " " shown "${ARGN}")
  execute_process(COMMAND ${CXX} ${mcu} ${core_cxx} ${ARGN} -DTWOLAYER_SKETCH_SEMIHOST=1
                          ${BOARD_DIR}/semihost.cpp ${OUT}/startup.o
                          --specs=nano.specs --specs=nosys.specs -nostartfiles -Wl,--gc-sections
                          -T${BOARD_DIR}/mps.ld -Wl,--defsym=__NO_HEAP=1 -o ${OUT}/${name}.elf
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[FAIL] ${name}: arm-none-eabi-g++ ${shown}\n${err}")
  endif()
  message("[ ok ] ${name} compiled: arm-none-eabi-g++ <mcu> <core flags> ${shown}")
  if(QEMU)
    execute_process(COMMAND ${BOARD_DIR}/run-qemu.sh mps2-an386 ${OUT}/${name}.elf
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(STRIP "${out}" out)
    string(REPLACE "\n" " | " out "${out}")
    if(NOT rc EQUAL 0 OR NOT out MATCHES "sketch: trained, loss fell" OR NOT out MATCHES "${want}")
      message(FATAL_ERROR "[FAIL] ${name} on mps2-an386: exit ${rc}, '${out}' (wanted ${want})\n${err}")
    endif()
    message("[ ok ] ${name} on mps2-an386: ${out}")
  endif()
endfunction()

if(TOOL STREQUAL "platformio")
  set(root ${PLATFORMIO_ROOT})
  file(READ ${root}/library.json json)
  string(JSON include_dir GET "${json}" build includeDir)
  string(JSON nflags LENGTH "${json}" build flags)
  set(flags "")
  if(nflags GREATER 0)
    math(EXPR last "${nflags} - 1")
    foreach(i RANGE ${last})
      string(JSON f GET "${json}" build flags ${i})
      separate_arguments(f UNIX_COMMAND "${f}")
      list(APPEND flags ${f})
    endforeach()
  endif()
  message("[ ok ] library.json: includeDir ${include_dir}, flags ${flags}")
  string(JSON base GET "${json}" examples 0 base)
  string(JSON sketch GET "${json}" examples 0 files 0)
  run(platformio_sketch "fp_contract_off=1" -I${root}/${include_dir} ${flags} ${root}/${base}/${sketch})
  math(EXPR passed "${passed} + 2")
elseif(TOOL STREQUAL "arduino")
  set(root ${ARDUINO_ROOT})
  file(STRINGS ${root}/library.properties props)
  set(includes "")
  set(paragraph "")
  foreach(line IN LISTS props)
    if(line MATCHES "^(includes|paragraph)=(.*)$")
      set(${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  if(NOT paragraph MATCHES "compiler\\.cpp\\.extra_flags=([^ )]+)")
    message(FATAL_ERROR "[FAIL] library.properties documents no compiler.cpp.extra_flags")
  endif()
  set(extra_flags ${CMAKE_MATCH_1})
  message("[ ok ] library.properties: includes=${includes}, documented flag ${extra_flags}")
  set(sketch ${root}/examples/online_training/online_training.ino)
  set(common -I${root}/src -include ${includes} -x c++ ${sketch} -x none)
  run(arduino_sketch "fp_contract_off=0" ${common})
  run(arduino_sketch_flag "fp_contract_off=1" ${extra_flags} ${common})
  math(EXPR passed "${passed} + 5")
endif()
message("${passed} passed, 0 failed")
