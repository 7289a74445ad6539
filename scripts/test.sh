#!/usr/bin/env bash
# test.sh - install what is missing, build everything with warnings as errors,
# and run every test through ctest. The README's second command.
#   scripts/test.sh             into build-test/
#   scripts/test.sh --sanitize  into build-asan/, with AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

dir=build-test
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DMXSIM_WERROR=ON -DMXSIM_SANITIZE=OFF)
if [[ "${1:-}" == "--sanitize" ]]; then
  dir=build-asan
  flags=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DMXSIM_WERROR=ON -DMXSIM_SANITIZE=ON
         -DMXSIM_BUILD_GUI=OFF)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
elif [[ $# -gt 0 ]]; then
  echo "usage: scripts/test.sh [--sanitize]" >&2
  exit 2
fi

cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$dir"
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
