# mpi_run_test.cmake - `mxsim run` under mpirun, as ctest runs it (cmake -P).
# MODE=same-bytes: a sweep on 1 process, on 2 ranks, and on 2 ranks x 2 threads
#   must give byte-identical summary.json (up to its last key, "timing"),
#   timeseries.csv, backscatter.dot and trace.jsonl; the ranks' job logs
#   (MXSIM_FARM_LOG, docs/cluster.md) must show every job run exactly once.
# MODE=rank-1-ran-jobs: a sweep of slower jobs (SCENARIO: shared-sweep.json) on
#   2 ranks must give the single process's bytes, and its job log must show
#   every job run exactly once and at least one of them run by rank 1, so the
#   bytes compared include results that travelled from rank 1 to rank 0.
# MODE=failing-job: a sweep whose second point fails at run time must end
#   non-zero on 2 ranks, naming the job, and write no results.
# MODE=mismatch: rank 1 reads another scenario file (OTHER) than rank 0: the run
#   must end non-zero, saying so, and write no results.
# MODE=missing-file: rank 0 cannot read SCENARIO, rank 1 reads OTHER: both
#   must end, non-zero (rank 0 with 2, bad input; the worker it sends away with 1),
#   rank 0 saying why.
# MODE=list-jobs: run --list-jobs on 2 ranks ends 0 on both and lists the jobs
#   once (rank 0's list; the worker leaves without a word).
# Needs: MXSIM, MPIRUN, SCENARIO, WORK (a scratch directory), MODE; OTHER for mismatch.
cmake_minimum_required(VERSION 3.25)

set(mpirun ${MPIRUN} --allow-run-as-root --oversubscribe -np 2)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# expect_rc: an exit code, or a ;-free regex of them ("1|2": mpirun reports the exit of
# whichever process failed first).
function(run_mxsim name expect_rc)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
  if(NOT rc MATCHES "^(${expect_rc})$")
    message(FATAL_ERROR "${name}: exit ${rc}, expected ${expect_rc}\n${out}\n${err}")
  endif()
  set(${name}_err "${err}" PARENT_SCOPE)
endfunction()

# The jobs each rank ran, from the lines "mxsim farm: rank R ran job J" that every
# rank writes to stderr when MXSIM_FARM_LOG is set (experiment/mpi_farm.cpp): each of the
# `jobs` jobs must appear exactly once; sets ${name}_rank1 to how many rank 1 ran.
function(check_job_log name err jobs)
  string(REGEX MATCHALL "mxsim farm: rank [0-9]+ ran job [0-9]+" lines "${err}")
  set(seen "")
  set(rank1 0)
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^mxsim farm: rank ([0-9]+) ran job ([0-9]+)$" "\\1;\\2" pair "${line}")
    list(GET pair 0 rank)
    list(GET pair 1 job)
    if(job IN_LIST seen)
      message(FATAL_ERROR "${name}: job ${job} ran twice\n${err}")
    endif()
    if(job GREATER_EQUAL jobs)
      message(FATAL_ERROR "${name}: job ${job} is not one of the ${jobs} jobs\n${err}")
    endif()
    list(APPEND seen ${job})
    if(rank EQUAL 1)
      math(EXPR rank1 "${rank1} + 1")
    endif()
  endforeach()
  list(LENGTH seen logged)
  if(NOT logged EQUAL jobs)
    message(FATAL_ERROR "${name}: ${logged} of ${jobs} jobs in the ranks' job log\n${err}")
  endif()
  message(STATUS "${name}: rank 1 ran ${rank1} of ${jobs} jobs")
  set(${name}_rank1 ${rank1} PARENT_SCOPE)
endfunction()

# The files of run `run` must equal the single process's; `files` besides summary.json.
function(compare_with_single run)
  read_without_timing(${WORK}/single/summary.json expected)
  read_without_timing(${WORK}/${run}/summary.json got)
  if(NOT got STREQUAL expected)
    message(FATAL_ERROR "${run}/summary.json differs from the single process's")
  endif()
  foreach(file ${ARGN})
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
      ${WORK}/single/${file} ${WORK}/${run}/${file} RESULT_VARIABLE differs)
    if(differs)
      message(FATAL_ERROR "${run}/${file} differs from the single process's")
    endif()
  endforeach()
endfunction()

# mpirun with every rank logging the jobs it ran (-x passes the variable to every rank).
set(logged_mpirun ${CMAKE_COMMAND} -E env MXSIM_FARM_LOG=1 ${mpirun} -x MXSIM_FARM_LOG)

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
  # sweep.json: 2 variants x 3 sweep points x 2 replications.
  run_mxsim(single 0 ${MXSIM} run ${SCENARIO} --trace --quiet --out ${WORK}/single)
  run_mxsim(ranks 0 ${logged_mpirun} ${MXSIM} run ${SCENARIO} --trace --quiet --out ${WORK}/ranks)
  run_mxsim(threads 0 ${logged_mpirun} ${MXSIM} run ${SCENARIO} --trace --quiet --threads 2
            --out ${WORK}/threads)
  foreach(run ranks threads)
    compare_with_single(${run} timeseries.csv backscatter.dot trace.jsonl)
    check_job_log(${run} "${${run}_err}" 12)
  endforeach()
elseif(MODE STREQUAL "rank-1-ran-jobs")
  # shared-sweep.json: 2 variants x 2 sweep points x 2 replications.
  run_mxsim(single 0 ${MXSIM} run ${SCENARIO} --quiet --out ${WORK}/single)
  run_mxsim(ranks 0 ${logged_mpirun} ${MXSIM} run ${SCENARIO} --quiet --out ${WORK}/ranks)
  compare_with_single(ranks timeseries.csv backscatter.dot)
  check_job_log(ranks "${ranks_err}" 8)
  if(ranks_rank1 LESS 1)
    message(FATAL_ERROR "rank 1 ran none of the 8 jobs: rank 0 did all the work\n${ranks_err}")
  endif()
elseif(MODE STREQUAL "failing-job")
  run_mxsim(failing 1 ${mpirun} ${MXSIM} run ${SCENARIO} --quiet --out ${WORK}/out)
  set(expected "variant baseline, sweep point mailboxes=\\[\\], replication 0: ")
  if(NOT failing_err MATCHES "${expected}traffic from or to \"all\" but no mailboxes")
    message(FATAL_ERROR "the error does not name the failed job:\n${failing_err}")
  endif()
  if(failing_err MATCHES "mxsim farm: ")  # job 0 ran; without MXSIM_FARM_LOG it is not logged
    message(FATAL_ERROR "a job was logged without MXSIM_FARM_LOG:\n${failing_err}")
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
  run_mxsim(missing "1|2" ${MPIRUN} --allow-run-as-root --oversubscribe
            -np 1 ${MXSIM} run ${SCENARIO} --quiet --out ${WORK}/out
            : -np 1 ${MXSIM} run ${OTHER} --quiet --out ${WORK}/out)
  if(NOT missing_err MATCHES "cannot open scenario file")
    message(FATAL_ERROR "the error does not say the file is missing:\n${missing_err}")
  endif()
elseif(MODE STREQUAL "list-jobs")
  execute_process(COMMAND ${mpirun} ${MXSIM} run ${SCENARIO} --list-jobs
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "list-jobs: exit ${rc}, expected 0\n${out}\n${err}")
  endif()
  # sweep.json: 12 jobs, one line each, numbered 0 to 11.
  string(REGEX MATCHALL "\n *[0-9]+  " jobs "${out}")
  list(LENGTH jobs listed)
  if(NOT listed EQUAL 12 OR NOT out MATCHES "\n *11  " OR out MATCHES "\n *12  ")
    message(FATAL_ERROR "list-jobs: ${listed} job lines, expected 12, once each:\n${out}")
  endif()
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
