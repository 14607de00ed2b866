# Links allocating.cpp like a test image; passes only if the link FAILS with the guard's message.
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
separate_arguments(memory UNIX_COMMAND "${MEMORY}")
execute_process(
  COMMAND ${CXX} ${flags} ${BOARD_DIR}/allocating.cpp ${BOARD_DIR}/startup.c ${BOARD_DIR}/semihost.cpp
          -T${BOARD_DIR}/mps.ld -Wl,--defsym=__NO_HEAP=1 ${memory} -o ${OUT}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message("[FAIL] an image calling malloc and operator new linked despite the no-heap guard")
  message("0 passed, 1 failed")
  message(FATAL_ERROR "guard did not bite")
endif()
string(FIND "${err}" "HEAP USE FORBIDDEN" where)
if(where EQUAL -1)
  message("[FAIL] the allocating image failed to link, but not because of the guard:\n${err}")
  message("0 passed, 1 failed")
  message(FATAL_ERROR "wrong link error")
endif()
message("[ ok ] allocating image refused at link time: HEAP USE FORBIDDEN")
message("1 passed, 0 failed")
