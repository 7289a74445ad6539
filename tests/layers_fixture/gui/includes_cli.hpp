// includes_cli.hpp - a fixture for tests/layers_check.cmake, never compiled: a gui/
// file that includes cli/, which the check must refuse.
#pragma once

#include "cli/run_command.hpp"
