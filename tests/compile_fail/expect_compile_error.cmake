# Compiles SOURCE and passes only if the compiler REJECTS it with the message named in the
# source's "// expect-error: <text>" line. Run by ctest with cmake -P.
file(STRINGS "${SOURCE}" expect_line REGEX "^// expect-error: ")
if(NOT expect_line)
  message(FATAL_ERROR "${SOURCE} has no '// expect-error: <text>' line")
endif()
string(REGEX REPLACE "^// expect-error: " "" expected "${expect_line}")
execute_process(
  COMMAND ${COMPILER} -std=c++17 -fsyntax-only -I${INCLUDE} ${SOURCE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
get_filename_component(name "${SOURCE}" NAME)
if(rc EQUAL 0)
  message("[FAIL] ${name} compiled, but it must not")
  message("0 passed, 1 failed")
  message(FATAL_ERROR "expected a compile error")
endif()
string(FIND "${err}" "${expected}" where)
if(where EQUAL -1)
  message("[FAIL] ${name} failed to compile, but without the message '${expected}':\n${err}")
  message("0 passed, 1 failed")
  message(FATAL_ERROR "wrong compile error")
endif()
message("[ ok ] ${name} is rejected with: ${expected}")
message("1 passed, 0 failed")
