# catch_registration_check.cmake - fails unless ctest holds exactly one entry per
# Catch2 test case. catch_discover_tests splits names at ';' (each half then
# matches nothing), so a miscount means some case would silently never run.
#   cmake -DTESTS=<mxsim_tests> -DCTEST=<ctest> -DBUILD=<build dir> -P catch_registration_check.cmake
# Catch2 2.x exits with the number of cases it listed, capped at 255 (an exit status
# is one byte).
execute_process(COMMAND ${TESTS} --list-test-names-only
  OUTPUT_VARIABLE names RESULT_VARIABLE listed)
string(REPLACE ";" "," names "${names}")
string(REGEX MATCHALL "[^\n]+" cases "${names}")
list(LENGTH cases catch_count)
set(expected_exit ${catch_count})
if(catch_count GREATER 255)
  set(expected_exit 255)
endif()
if(NOT listed EQUAL expected_exit)
  message(FATAL_ERROR "${TESTS} --list-test-names-only: ${catch_count} lines, exit ${listed}")
endif()

execute_process(COMMAND ${CTEST} --test-dir ${BUILD} -N -R "^catch\\."
  OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
string(REGEX MATCH "Total Tests: ([0-9]+)" total "${listing}")
if(NOT rc EQUAL 0 OR NOT total)
  message(FATAL_ERROR "ctest -N failed (${rc}):\n${listing}")
endif()
set(ctest_count ${CMAKE_MATCH_1})

if(NOT catch_count EQUAL ctest_count)
  message(FATAL_ERROR "Catch2 lists ${catch_count} test cases but ctest registered "
                      "${ctest_count}: a name with ';' is split by catch_discover_tests")
endif()
if(catch_count LESS 100)
  message(FATAL_ERROR "only ${catch_count} Catch2 test cases listed: the list looks broken")
endif()
message(STATUS "${catch_count} Catch2 test cases, each a ctest entry")
