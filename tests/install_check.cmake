# install_check.cmake - `cmake --install` of a build into a fresh prefix: the binaries
# (and only they: no test or bench programs), the man pages, bash completion, docs and
# scenarios where they belong, and the installed mxsim runs and says its version.
#   cmake -DBUILD=<build dir> -DPREFIX=<dir> -DVERSION=<x.y.z> -DGUI=<ON|OFF>
#         -DBINDIR=... -DMANDIR=... -DDATADIR=... -DDOCDIR=... -P install_check.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD}" --prefix "${PREFIX}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD} --prefix ${PREFIX} failed (${rc}):\n${out}${err}")
endif()

set(expected
  ${BINDIR}/mxsim
  ${MANDIR}/man1/mxsim.1
  ${DATADIR}/bash-completion/completions/mxsim
  ${DOCDIR}/README.md
  ${DOCDIR}/scenario-format.md
  ${DATADIR}/mxsim/scenarios/klez-flood.json)
set(programs mxsim)
if(GUI)
  list(APPEND expected
    ${BINDIR}/mxsim-gui
    ${MANDIR}/man1/mxsim-gui.1
    ${DATADIR}/bash-completion/completions/mxsim-gui)
  list(APPEND programs mxsim-gui)
endif()
set(missing "")
foreach(path ${expected})
  if(NOT EXISTS "${PREFIX}/${path}")
    string(APPEND missing "\n  ${path}")
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "cmake --install into ${PREFIX} did not install:${missing}")
endif()

file(GLOB installed_programs RELATIVE "${PREFIX}/${BINDIR}" "${PREFIX}/${BINDIR}/*")
list(SORT installed_programs)
list(SORT programs)
if(NOT installed_programs STREQUAL programs)
  message(FATAL_ERROR "${PREFIX}/${BINDIR} holds '${installed_programs}', expected '${programs}'")
endif()

execute_process(COMMAND "${PREFIX}/${BINDIR}/mxsim" --version
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "mxsim ${VERSION}\n")
  string(STRIP "${out}" out)
  message(FATAL_ERROR "the installed ${BINDIR}/mxsim --version: exit ${rc}, printed '${out}' "
                      "(expected 'mxsim ${VERSION}')\n${err}")
endif()
if(GUI)
  execute_process(COMMAND "${PREFIX}/${BINDIR}/mxsim-gui" --version
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "mxsim-gui ${VERSION}\n")
    string(STRIP "${out}" out)
    message(FATAL_ERROR "the installed ${BINDIR}/mxsim-gui --version: exit ${rc}, printed "
                        "'${out}' (expected 'mxsim-gui ${VERSION}')\n${err}")
  endif()
endif()
