# fuzz_<target>: runs one libFuzzer target for SECONDS on a fresh copy of its seed corpus (the
# fuzzer adds what it finds to its first corpus directory; the committed one stays as it is).
# A finding (an invariant's abort, a sanitizer's report, a timeout, an out-of-memory) fails the
# test; the input is kept in WORK/artifacts and named in the output, to be turned into a unit test.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus ${WORK}/artifacts)
file(GLOB seeds ${CORPUS}/*)
file(COPY ${seeds} DESTINATION ${WORK}/corpus)
list(LENGTH seeds n)
execute_process(COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
                        -artifact_prefix=${WORK}/artifacts/ ${WORK}/corpus
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs "${err}")
string(REGEX MATCH "[0-9]+$" runs "${runs}")
file(GLOB found ${WORK}/artifacts/*)
if(NOT rc EQUAL 0 OR found)
  string(LENGTH "${err}" len)
  if(len GREATER 6000)
    math(EXPR from "${len} - 6000")
    string(SUBSTRING "${err}" ${from} -1 err)
  endif()
  message(FATAL_ERROR "[FAIL] ${FUZZER}: exit ${rc}, inputs kept: ${found}\n...${err}")
endif()
message("[ ok ] ${FUZZER}: ${runs} inputs in ${SECONDS} s from ${n} seeds, no finding")
message("1 passed, 0 failed")
