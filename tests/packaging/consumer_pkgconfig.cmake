# packaging_consumer_pkgconfig: tests/packaging/consumer/main.cpp compiled by hand, with the
# installed twolayer.pc's Cflags as the only way to the library (PKG_CONFIG_PATH = the prefix's
# share/pkgconfig, nothing else), plus this preset's own machine and optimization flags (and on
# bare metal its board support), then run. It must report fp_contract_off=1.
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/share/pkgconfig)
set(ENV{PKG_CONFIG_LIBDIR} ${PREFIX}/share/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags twolayer RESULT_VARIABLE rc OUTPUT_VARIABLE cflags
                ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] pkg-config --cflags twolayer: ${err}")
endif()
execute_process(COMMAND ${PKG_CONFIG} --modversion twolayer OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${PKG_CONFIG} --variable=cxx_std twolayer OUTPUT_VARIABLE std OUTPUT_STRIP_TRAILING_WHITESPACE)
message("[ ok ] pkg-config: twolayer ${version}, Cflags: ${cflags}, cxx_std ${std}")
if(NOT cflags MATCHES "-ffp-contract=off" OR NOT std STREQUAL "c++17")
  message(FATAL_ERROR "[FAIL] twolayer.pc lacks -ffp-contract=off or cxx_std")
endif()

separate_arguments(pc UNIX_COMMAND "${cflags}")
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
separate_arguments(link_flags UNIX_COMMAND "${LINK_FLAGS}")
file(MAKE_DIRECTORY ${OUT})
set(exe ${OUT}/consumer)
set(extra "")
if(BARE_METAL)
  separate_arguments(memory UNIX_COMMAND "${MEMORY}")
  # The board support's C startup: compiled as C, as a firmware project would.
  execute_process(COMMAND ${CC} ${flags} -c ${BOARD_DIR}/startup.c -o ${OUT}/startup.o RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "[FAIL] startup.c: ${err}")
  endif()
  set(extra ${OUT}/startup.o ${BOARD_DIR}/semihost.cpp -DCONSUMER_SEMIHOST=1 -T${BOARD_DIR}/mps.ld
            -Wl,--defsym=__NO_HEAP=1 ${memory})
  set(exe ${exe}.elf)
endif()
# The project's own flags first, then pkg-config's, as `CXXFLAGS += $(pkg-config --cflags twolayer)`.
execute_process(COMMAND ${CXX} ${flags} ${pc} -Wall -Wextra -Werror ${SOURCE} ${extra} ${link_flags} -o ${exe}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "[FAIL] compiling the consumer with pkg-config's flags:\n${err}")
endif()
string(REPLACE ";" " " shown "${flags} ${pc}")
message("[ ok ] consumer compiled with ${CXX} ${shown}")
execute_process(COMMAND ${EMULATOR} ${exe} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(STRIP "${out}" out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "trained=1 fp_contract_off=1")
  message(FATAL_ERROR "[FAIL] consumer: exit ${rc}, printed '${out}'\n${err}")
endif()
message("[ ok ] ${out}")
message("3 passed, 0 failed")
