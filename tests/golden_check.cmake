# golden_check.cmake - the results of one shipped scenario, held identical across
# refactorings: runs `mxsim run`, then compares summary.json (without its "timing" and
# the path it was read from)
# with tests/golden/NAME.summary.json and timeseries.csv / backscatter.dot with the
# SHA-256 sums in tests/golden/NAME.sha256. A difference made on purpose is
# re-recorded with scripts/record-golden.sh and named in its commit.
#   cmake -DMXSIM=<mxsim> -DSCENARIO=<file> -DNAME=<name> -DGOLDEN=<dir> -DWORK=<dir>
#         [-DMODE=record] -P golden_check.cmake
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${MXSIM} run ${SCENARIO} --out ${WORK} --quiet --threads 2
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mxsim run ${SCENARIO} failed (${rc}): ${err}")
endif()

file(READ ${WORK}/summary.json summary)
string(JSON summary REMOVE "${summary}" timing)
string(JSON summary REMOVE "${summary}" run scenario_file)  # where it was read from
file(WRITE ${WORK}/summary.untimed.json "${summary}\n")
file(SHA256 ${WORK}/timeseries.csv csv_sum)
file(SHA256 ${WORK}/backscatter.dot dot_sum)
set(sums "timeseries.csv ${csv_sum}\nbackscatter.dot ${dot_sum}\n")

if(MODE STREQUAL "record")
  file(COPY_FILE ${WORK}/summary.untimed.json ${GOLDEN}/${NAME}.summary.json)
  file(WRITE ${GOLDEN}/${NAME}.sha256 "${sums}")
  message(STATUS "recorded ${NAME}")
  return()
endif()

file(READ ${GOLDEN}/${NAME}.summary.json expected)
if(NOT expected STREQUAL "${summary}\n")
  execute_process(COMMAND diff -u ${GOLDEN}/${NAME}.summary.json ${WORK}/summary.untimed.json
    OUTPUT_VARIABLE difference)
  string(SUBSTRING "${difference}" 0 4000 difference)
  message(FATAL_ERROR "${NAME}: summary.json differs from the golden results:\n${difference}")
endif()
file(READ ${GOLDEN}/${NAME}.sha256 expected_sums)
if(NOT expected_sums STREQUAL sums)
  message(FATAL_ERROR "${NAME}: files differ from the golden results.\n"
                      "expected:\n${expected_sums}got:\n${sums}(in ${WORK})")
endif()
