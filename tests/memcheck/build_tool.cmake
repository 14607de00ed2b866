# memcheck_build: the twolayer tool configured from this source tree without the machine's arch
# flags (valgrind runs no AVX-512), at -O0 (the fastest to compile; memcheck needs no speed), and
# nothing but the executable built, one job at a time.
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -G ${GENERATOR} -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}
                        -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_C_COMPILER=${CC} -DCMAKE_BUILD_TYPE=Debug
                        -DCMAKE_CXX_FLAGS_DEBUG=-O0 -DTWOLAYER_TOOL_ARCH_FLAGS= -DTWOLAYER_BUILD_TESTS=OFF
                        -DTWOLAYER_INSTALL=OFF -DTWOLAYER_WITH_MPI=${MPI}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] configuring the tool for memcheck:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} --target twolayer_tool -j1
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] building the tool for memcheck:\n${out}\n${err}")
endif()
message("[ ok ] ${BINARY}/twolayer built without arch flags")
message("1 passed, 0 failed")
