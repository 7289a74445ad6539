#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and fuzz
# the scenario loader for SECONDS (default 60). Exits non-zero on any crash; a crashing
# input is left in build-fuzz/ as crash-* (rerun: build-fuzz/scenario_loader_fuzz FILE).
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [[ "$seconds" -eq 0 ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS]" >&2
  exit 2
fi
scripts/setup.sh

dir=build-fuzz
CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMXSIM_FUZZ=ON \
  -DMXSIM_BUILD_TESTS=OFF -DMXSIM_BUILD_BENCH=OFF >/dev/null
cmake --build "$dir" --target scenario_loader_fuzz

# The seed corpus: the shipped scenarios and every ```json example in the format's docs.
corpus="$dir/corpus"
mkdir -p "$corpus"
shopt -s nullglob
for f in scenarios/*.json; do
  cp "$f" "$corpus/scenario-$(basename "$f")"
done
awk -v out="$corpus/doc-example-" '
  /^```json$/ { inside = 1; n++; file = out n ".json"; printf "" > file; next }
  /^```$/     { if (inside) close(file); inside = 0; next }
  inside      { print >> file }
' docs/scenario-format.md

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$dir/scenario_loader_fuzz" "$corpus" -dict=fuzz/scenario.dict \
  -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -artifact_prefix="$dir/" \
  -print_final_stats=1
