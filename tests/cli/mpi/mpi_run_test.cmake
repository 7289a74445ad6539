# mpi_run_test.cmake - `mxsim run` under mpirun, as ctest runs it (cmake -P).
# MODE=same-bytes: a sweep on 1 process, on 2 ranks, and on 2 ranks x 2 threads
#   must give byte-identical summary.json (up to its last key, "timing"),
#   timeseries.csv, backscatter.dot and trace.jsonl.
# MODE=failing-job: a sweep whose second point fails at run time must end
#   non-zero on 2 ranks, naming the job, and write no results.
# MODE=mismatch: rank 1 reads another scenario file (OTHER) than rank 0: the run
#   must end non-zero, saying so, and write no results.
# MODE=missing-file: rank 0 cannot read SCENARIO, rank 1 reads OTHER: both
#   must end, non-zero, rank 0 saying why (it sends the waiting worker away).
# Needs: MXSIM, MPIRUN, SCENARIO, WORK (a scratch directory), MODE; OTHER for mismatch.
cmake_minimum_required(VERSION 3.25)

set(mpirun ${MPIRUN} --allow-run-as-root --oversubscribe -np 2)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run_mxsim name expect_rc)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
  if(NOT rc STREQUAL expect_rc)
    message(FATAL_ERROR "${name}: exit ${rc}, expected ${expect_rc}\n${out}\n${err}")
  endif()
  set(${name}_err "${err}" PARENT_SCOPE)
endfunction()

# summary.json without "timing", the only key that may differ (it is the last one).
function(read_without_timing file var)
  file(READ ${file} text)
  string(FIND "${text}" "\n  \"timing\": {" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${file}: no \"timing\" key")
  endif()
  string(SUBSTRING "${text}" 0 ${at} text)
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "same-bytes")
  run_mxsim(single 0 ${MXSIM} run ${SCENARIO} --trace --quiet --out ${WORK}/single)
  run_mxsim(ranks 0 ${mpirun} ${MXSIM} run ${SCENARIO} --trace --quiet --out ${WORK}/ranks)
  run_mxsim(threads 0 ${mpirun} ${MXSIM} run ${SCENARIO} --trace --quiet --threads 2
            --out ${WORK}/threads)
  read_without_timing(${WORK}/single/summary.json expected)
  foreach(run ranks threads)
    read_without_timing(${WORK}/${run}/summary.json got)
    if(NOT got STREQUAL expected)
      message(FATAL_ERROR "${run}/summary.json differs from the single process's")
    endif()
    foreach(file timeseries.csv backscatter.dot trace.jsonl)
      execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
        ${WORK}/single/${file} ${WORK}/${run}/${file} RESULT_VARIABLE differs)
      if(differs)
        message(FATAL_ERROR "${run}/${file} differs from the single process's")
      endif()
    endforeach()
  endforeach()
elseif(MODE STREQUAL "failing-job")
  run_mxsim(failing 1 ${mpirun} ${MXSIM} run ${SCENARIO} --quiet --out ${WORK}/out)
  set(expected "variant baseline, sweep point mailboxes=\\[\\], replication 0: ")
  if(NOT failing_err MATCHES "${expected}traffic from or to \"all\" but no mailboxes")
    message(FATAL_ERROR "the error does not name the failed job:\n${failing_err}")
  endif()
  if(EXISTS ${WORK}/out)
    message(FATAL_ERROR "a failed run left results in ${WORK}/out")
  endif()
elseif(MODE STREQUAL "mismatch")
  run_mxsim(mismatch 1 ${MPIRUN} --allow-run-as-root --oversubscribe
            -np 1 ${MXSIM} run ${SCENARIO} --quiet --out ${WORK}/out
            : -np 1 ${MXSIM} run ${OTHER} --quiet --out ${WORK}/out)
  if(NOT mismatch_err MATCHES "rank 1 \\([^)]*\\) read a different scenario file \\(content hash")
    message(FATAL_ERROR "the error does not name the mismatch:\n${mismatch_err}")
  endif()
  if(EXISTS ${WORK}/out)
    message(FATAL_ERROR "a failed run left results in ${WORK}/out")
  endif()
elseif(MODE STREQUAL "missing-file")
  run_mxsim(missing 1 ${MPIRUN} --allow-run-as-root --oversubscribe
            -np 1 ${MXSIM} run ${SCENARIO} --quiet --out ${WORK}/out
            : -np 1 ${MXSIM} run ${OTHER} --quiet --out ${WORK}/out)
  if(NOT missing_err MATCHES "cannot open scenario file")
    message(FATAL_ERROR "the error does not say the file is missing:\n${missing_err}")
  endif()
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
