# layers_check.cmake - fails when a file includes a layer it must not depend on, so the
# dependencies keep pointing one way: cli, gui -> experiment -> scenario -> model -> sim,
# and experiment -> importers (other systems' files read as mxsim's JSON)
# (docs/architecture.md, "Layers"). In particular gui/, experiment/ and scenario/ never
# include "cli/", and cli/ and gui/ never include each other.
#   cmake -DSOURCE=<source dir> -P layers_check.cmake
if(NOT SOURCE)
  message(FATAL_ERROR "layers_check.cmake: give -DSOURCE=<source dir>")
endif()

# Each folder, then the folders it must not include.
set(forbidden_sim model scenario importers experiment cli gui)
set(forbidden_model scenario importers experiment cli gui)
set(forbidden_scenario importers experiment cli gui)
set(forbidden_importers experiment cli gui)
set(forbidden_experiment cli gui)
set(forbidden_cli gui)
set(forbidden_gui cli)

set(problems "")
set(checked 0)
foreach(layer sim model scenario importers experiment cli gui)
  list(JOIN forbidden_${layer} "|" alternatives)
  file(GLOB_RECURSE files ${SOURCE}/${layer}/*.cpp ${SOURCE}/${layer}/*.hpp
    ${SOURCE}/${layer}/*.h)
  foreach(file ${files})
    math(EXPR checked "${checked} + 1")
    file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<](${alternatives})/")
    foreach(line ${includes})
      file(RELATIVE_PATH name ${SOURCE} ${file})
      string(STRIP "${line}" line)
      string(APPEND problems "\n  ${name}: ${line}")
    endforeach()
  endforeach()
endforeach()

if(checked EQUAL 0)
  message(FATAL_ERROR "layers_check.cmake: no source files under ${SOURCE}")
endif()
if(problems)
  message(FATAL_ERROR "includes against the layers (cli, gui -> experiment -> scenario -> "
    "model -> sim):${problems}")
endif()
message(STATUS "layers: ${checked} files, every include points one way")
