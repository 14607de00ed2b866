# fuzz_build: configures tests/fuzz/targets (its own project) with clang and builds the fuzzers,
# one job at a time (ctest runs another test beside it).
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -G ${GENERATOR} -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}
                        -DCMAKE_CXX_COMPILER=${CXX} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] configuring the fuzzers with ${CXX}:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} -j1 RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] building the fuzzers (clang-14 and libclang-rt-14-dev: tools/setup-deps.sh --fuzz):\n${out}\n${err}")
endif()
message("[ ok ] fuzz_blob, fuzz_npy, fuzz_cli_numbers built with ${CXX} in ${BINARY}")
message("1 passed, 0 failed")
