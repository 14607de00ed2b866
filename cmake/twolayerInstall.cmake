# Install rules of the library (included by the top-level CMakeLists.txt when TWOLAYER_INSTALL).
#
#   cmake --install <build> --prefix <p>                       headers, CMake package, pkg-config
#   cmake --install <build> --prefix <dir> --component arduino  <dir>/twolayer: an Arduino library
#   cmake --install <build> --prefix <dir> --component platformio  <dir>/twolayer: a PlatformIO library
#
# Layout under <p> (component twolayer_devel, the default install):
#   include/twolayer/...                          the headers, as in the source tree
#   share/cmake/twolayer/twolayerConfig.cmake     find_package(twolayer CONFIG)
#   share/cmake/twolayer/twolayerConfigVersion.cmake
#   share/cmake/twolayer/twolayerTargets.cmake    the imported INTERFACE target twolayer::twolayer
#   share/pkgconfig/twolayer.pc
# share/, not lib/: the package holds no binary, so one install serves every architecture (the
# host and a cross build for a board alike); find_package searches <prefix>/share/cmake/<name>/
# as it does <prefix>/lib/cmake/<name>/, pkg-config searches share/pkgconfig as lib/pkgconfig, and
# the version file is ARCH_INDEPENDENT so a 32-bit consumer accepts a package installed from a
# 64-bit host build.
#
# Nothing else is installed: the tests, tools/, the research tool (src/) and the firmware examples
# have no install rules. The research tool is a host program of this repository, not part of the
# device library.
include(CMakePackageConfigHelpers)
set(TWOLAYER_URL "" CACHE STRING "The project's web address, for library.properties (url=)")

set(TWOLAYER_INSTALL_CMAKEDIR ${CMAKE_INSTALL_DATADIR}/cmake/twolayer CACHE STRING
    "Where the CMake package files go, relative to the prefix")
set(TWOLAYER_INSTALL_PKGCONFIGDIR ${CMAKE_INSTALL_DATADIR}/pkgconfig CACHE STRING
    "Where twolayer.pc goes, relative to the prefix")

# The interface target as installed: the include dir, cxx_std_17 and -ffp-contract=off come from
# its INTERFACE properties (CMakeLists.txt). Not the TWOLAYER_ARCH_<NAME> definition of a forced
# TWOLAYER_ARCH: it is a BUILD_INTERFACE property, so the package never carries the arch this
# build machine chose. The headers choose the arch from the consumer's own compiler macros
# (arch/select.hpp, kernels/default_arch.hpp), which is right for whatever target the consumer
# builds for; a consumer that wants to force one defines TWOLAYER_ARCH_<NAME>=1 itself.
install(TARGETS twolayer EXPORT twolayerTargets)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/twolayer DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT twolayer_devel FILES_MATCHING PATTERN "*.hpp")
install(EXPORT twolayerTargets NAMESPACE twolayer:: DESTINATION ${TWOLAYER_INSTALL_CMAKEDIR}
        COMPONENT twolayer_devel)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/twolayerConfig.cmake.in
  ${PROJECT_BINARY_DIR}/packaging/twolayerConfig.cmake
  INSTALL_DESTINATION ${TWOLAYER_INSTALL_CMAKEDIR} NO_SET_AND_CHECK_MACRO NO_CHECK_REQUIRED_COMPONENTS_MACRO)
# 0.x: a minor version may break the API, so only the same major.minor is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/packaging/twolayerConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/packaging/twolayerConfig.cmake
              ${PROJECT_BINARY_DIR}/packaging/twolayerConfigVersion.cmake
        DESTINATION ${TWOLAYER_INSTALL_CMAKEDIR} COMPONENT twolayer_devel)

# pkg-config: relocatable (prefix from the .pc file's own place), see cmake/twolayer.pc.in.
file(RELATIVE_PATH TWOLAYER_PC_TO_PREFIX /${TWOLAYER_INSTALL_PKGCONFIGDIR} /)
string(REGEX REPLACE "/$" "" TWOLAYER_PC_TO_PREFIX "${TWOLAYER_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/twolayer.pc.in ${PROJECT_BINARY_DIR}/packaging/twolayer.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/twolayer.pc DESTINATION ${TWOLAYER_INSTALL_PKGCONFIGDIR}
        COMPONENT twolayer_devel)

# The Arduino library (1.5 format): <prefix>/twolayer/library.properties, the headers under
# src/ (the directory Arduino puts on the include path and compiles recursively: headers only
# here, so nothing is compiled), src/twolayer.h (the header library.properties' includes= names),
# and the example sketch as examples/online_training/online_training.ino. Not part of the default
# install (EXCLUDE_FROM_ALL): only with --component arduino, e.g.
#   cmake --install build/host --component arduino --prefix ~/Arduino/libraries
# The repository root cannot be the Arduino library: Arduino compiles every source under src/,
# and src/ here is the host-only research tool.
configure_file(${CMAKE_CURRENT_LIST_DIR}/arduino/library.properties.in
               ${PROJECT_BINARY_DIR}/packaging/arduino/library.properties @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/arduino/library.properties
        DESTINATION twolayer COMPONENT arduino EXCLUDE_FROM_ALL)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/arduino/twolayer.h
        DESTINATION twolayer/src COMPONENT arduino EXCLUDE_FROM_ALL)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/twolayer DESTINATION twolayer/src
        COMPONENT arduino EXCLUDE_FROM_ALL FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_SOURCE_DIR}/targets/examples/sketch/online_training.cpp
        DESTINATION twolayer/examples/online_training RENAME online_training.ino
        COMPONENT arduino EXCLUDE_FROM_ALL)

# The PlatformIO library: <prefix>/twolayer/library.json, the headers under include/ (its
# build.includeDir), the example sketch under examples/online_training. Not part of the default
# install: only with --component platformio, e.g. into a project's private library folder
#   cmake --install build/host --component platformio --prefix <project>/lib
# An installed component rather than a library.json at the repository root: the repository's top
# level is fixed (README, "Where things are"), and the root's src/ is the host-only research tool,
# which PlatformIO would otherwise compile as the library's sources.
configure_file(${CMAKE_CURRENT_LIST_DIR}/platformio/library.json.in
               ${PROJECT_BINARY_DIR}/packaging/platformio/library.json @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/platformio/library.json
        DESTINATION twolayer COMPONENT platformio EXCLUDE_FROM_ALL)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/twolayer DESTINATION twolayer/include
        COMPONENT platformio EXCLUDE_FROM_ALL FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_SOURCE_DIR}/targets/examples/sketch/online_training.cpp
        DESTINATION twolayer/examples/online_training COMPONENT platformio EXCLUDE_FROM_ALL)
