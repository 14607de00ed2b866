# packaging_install: the default install and the arduino component into fresh prefixes, each
# checked file by file (nothing of the tests, tools or the research tool), plus what the
# installed package and the manifests must say. Needs no build: the library is header-only.
set(passed 0)
set(failed 0)
# check(<message> <condition...>): the condition as if() takes it, of plain variables.
macro(check msg)
  if(${ARGN})
    message("[ ok ] ${msg}")
    math(EXPR passed "${passed} + 1")
  else()
    message("[FAIL] ${msg}")
    math(EXPR failed "${failed} + 1")
  endif()
endmacro()

file(REMOVE_RECURSE ${PREFIX} ${ARDUINO_PREFIX} ${PLATFORMIO_PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] cmake --install: ${rc}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${ARDUINO_PREFIX} --component arduino
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] cmake --install --component arduino: ${rc}\n${err}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PLATFORMIO_PREFIX} --component platformio
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] cmake --install --component platformio: ${rc}\n${err}")
endif()

# The default install: exactly the headers, the three package files and twolayer.pc.
file(GLOB_RECURSE headers RELATIVE ${SOURCE_DIR}/include ${SOURCE_DIR}/include/twolayer/*.hpp)
set(expected "")
foreach(h IN LISTS headers)
  list(APPEND expected include/${h})
endforeach()
list(APPEND expected share/cmake/twolayer/twolayerConfig.cmake share/cmake/twolayer/twolayerConfigVersion.cmake
                     share/cmake/twolayer/twolayerTargets.cmake share/pkgconfig/twolayer.pc)
list(SORT expected)
file(GLOB_RECURSE installed RELATIVE ${PREFIX} LIST_DIRECTORIES false ${PREFIX}/*)
list(SORT installed)
set(extra ${installed})
list(REMOVE_ITEM extra ${expected})
set(missing ${expected})
list(REMOVE_ITEM missing ${installed})
list(LENGTH headers nheaders)
list(LENGTH extra nextra)
list(LENGTH missing nmissing)
check("default install: ${nheaders} headers + 3 package files + twolayer.pc, nothing else (extra: ${extra}; missing: ${missing})"
      nextra EQUAL 0 AND nmissing EQUAL 0)

# The exported target carries C++17 and -ffp-contract=off, and no arch macro of this build.
file(READ ${PREFIX}/share/cmake/twolayer/twolayerTargets.cmake targets)
string(FIND "${targets}" "INTERFACE_COMPILE_OPTIONS \"-ffp-contract=off\"" at_opt)
string(FIND "${targets}" "INTERFACE_COMPILE_FEATURES \"cxx_std_17\"" at_std)
string(FIND "${targets}" "TWOLAYER_ARCH" at_arch)
check("twolayer::twolayer: INTERFACE_COMPILE_OPTIONS -ffp-contract=off" NOT at_opt EQUAL -1)
check("twolayer::twolayer: INTERFACE_COMPILE_FEATURES cxx_std_17" NOT at_std EQUAL -1)
check("twolayer::twolayer: no TWOLAYER_ARCH_* definition (the headers choose)" at_arch EQUAL -1)
file(READ ${PREFIX}/share/cmake/twolayer/twolayerConfigVersion.cmake version_file)
# ARCH_INDEPENDENT: the 32/64-bit check is skipped (CMake writes it, behind an if("TRUE") return()).
string(FIND "${version_file}" "if(\"TRUE\")\n  return()\nendif()\n\n# if the installed or the using project don't have CMAKE_SIZEOF_VOID_P" at_void)
check("twolayerConfigVersion.cmake is ARCH_INDEPENDENT (a 32-bit cross build accepts it)" NOT at_void EQUAL -1)
file(STRINGS ${PREFIX}/share/pkgconfig/twolayer.pc pc_version REGEX "^Version: ")
check("twolayer.pc: ${pc_version}" pc_version STREQUAL "Version: ${VERSION}")

# The Arduino library: library.properties at its root, sources under src/ (headers only: Arduino
# compiles every .c/.cpp under src/), the includes= header present, the example as a sketch.
set(ar ${ARDUINO_PREFIX}/twolayer)
file(STRINGS ${ar}/library.properties props)
set(name "")
set(version "")
set(includes "")
foreach(line IN LISTS props)
  if(line MATCHES "^(name|version|includes)=(.*)$")
    set(${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  endif()
endforeach()
check("arduino: library.properties name=${name} version=${version}"
      name STREQUAL "twolayer" AND version STREQUAL "${VERSION}")
check("arduino: includes=${includes} is src/${includes}" EXISTS ${ar}/src/${includes} AND NOT IS_DIRECTORY ${ar}/src/${includes})
file(GLOB_RECURSE ar_sources RELATIVE ${ar} ${ar}/src/*.c ${ar}/src/*.cpp ${ar}/src/*.cc ${ar}/src/*.S)
list(LENGTH ar_sources nsources)
check("arduino: nothing under src/ for Arduino to compile (${ar_sources})" nsources EQUAL 0)
file(GLOB_RECURSE ar_headers RELATIVE ${ar}/src ${ar}/src/twolayer/*.hpp)
list(SORT ar_headers)
list(SORT headers)
string(REPLACE ";" " " ar_headers "${ar_headers}")
string(REPLACE ";" " " headers_s "${headers}")
check("arduino: src/twolayer/ holds the ${nheaders} headers" ar_headers STREQUAL headers_s)
check("arduino: examples/online_training/online_training.ino" EXISTS ${ar}/examples/online_training/online_training.ino)
check("arduino: not part of the default install" NOT EXISTS ${PREFIX}/twolayer)

# The PlatformIO library: library.json at its root with the project's version, the headers under
# its build.includeDir, nothing to compile, the example it names.
set(pio ${PLATFORMIO_PREFIX}/twolayer)
file(READ ${pio}/library.json json)
string(JSON pio_version GET "${json}" version)
string(JSON pio_include GET "${json}" build includeDir)
check("platformio: library.json version ${pio_version}" pio_version STREQUAL "${VERSION}")
file(GLOB_RECURSE pio_headers RELATIVE ${pio}/${pio_include} ${pio}/${pio_include}/twolayer/*.hpp)
list(SORT pio_headers)
string(REPLACE ";" " " pio_headers "${pio_headers}")
check("platformio: ${pio_include}/twolayer/ holds the ${nheaders} headers" pio_headers STREQUAL headers_s)
file(GLOB_RECURSE pio_sources RELATIVE ${pio} ${pio}/*.c ${pio}/*.cpp ${pio}/*.cc ${pio}/*.S)
list(FILTER pio_sources EXCLUDE REGEX "^examples/")
list(LENGTH pio_sources npio)
check("platformio: no source for PlatformIO to compile outside examples/ (${pio_sources})" npio EQUAL 0)
string(JSON pio_base GET "${json}" examples 0 base)
string(JSON pio_sketch GET "${json}" examples 0 files 0)
check("platformio: the example ${pio_base}/${pio_sketch}" EXISTS ${pio}/${pio_base}/${pio_sketch})
check("platformio: not part of the default install" NOT EXISTS ${PREFIX}/twolayer)

message("${passed} passed, ${failed} failed")
if(failed GREATER 0)
  message(FATAL_ERROR "packaging_install failed")
endif()
