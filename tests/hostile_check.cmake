# hostile_check.cmake - one hostile input: `mxsim run FILE` must fail cleanly (exit 2,
# bad input: not 0, not a signal, not a timeout), say EXPECT on stderr, and write no
# results.
#   cmake -DMXSIM=... -DFILE=... -DEXPECT_FILE=... -DOUT=... -P hostile_check.cmake
file(REMOVE_RECURSE "${OUT}")
file(READ "${EXPECT_FILE}" expect)
string(STRIP "${expect}" expect)
execute_process(COMMAND "${MXSIM}" run "${FILE}" --quiet --max-memory 1G --out "${OUT}"
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out TIMEOUT 60)
if(NOT rc STREQUAL "2")
  message(FATAL_ERROR "${FILE}: expected exit 2, got '${rc}'\nstderr: ${err}")
endif()
string(FIND "${err}" "${expect}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FILE}: stderr lacks '${expect}'\nstderr: ${err}")
endif()
if(EXISTS "${OUT}")
  message(FATAL_ERROR "${FILE}: a refused run wrote ${OUT}")
endif()
