#!/usr/bin/env bash
# record-golden.sh - re-record the golden results (tests/golden/) from a build:
# only for a change in results made on purpose, named in its commit and docs.
#   scripts/record-golden.sh [BUILD_DIR]   (default build-test)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-test}
for scenario in scenarios/*.json tests/golden/flood-bench-small.json; do
  name=$(basename "$scenario" .json)
  cmake -DMXSIM="$build/mxsim" -DSCENARIO="$scenario" -DNAME="$name" -DGOLDEN=tests/golden \
        -DWORK="$build/tests/golden-$name" -DMODE=record -P tests/golden_check.cmake
done
