#!/usr/bin/env bash
# main.sh - install what is missing, build mxsim (Release), and run the main job.
# The README's first command: the Klez flood policy comparison. Extra
# arguments go to `mxsim run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build
./build/mxsim run scenarios/klez-flood.json --threads "$(nproc)" "$@"
