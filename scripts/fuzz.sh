#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and run
# each for SECONDS (default 60): scenario_loader_fuzz (one document), experiment_fuzz
# (templates, variants, sweeps, under a memory budget) and simulation_fuzz (any accepted
# scenario simulated to an event cap). Inputs up to 64 KB. Exits non-zero on any crash;
# a crashing input is left in build-fuzz/ as <target>-crash-* (rerun: build-fuzz/TARGET
# FILE); keep it in tests/hostile/ with its message once fixed.
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
targets=(scenario_loader_fuzz experiment_fuzz simulation_fuzz)
cmake --build "$dir" --target "${targets[@]}"

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
for target in "${targets[@]}"; do
  # Each target grows its own corpus from the same seeds.
  mkdir -p "$dir/corpus-$target"
  cp -n "$corpus"/* "$dir/corpus-$target/"
  echo "fuzz.sh: $target for $seconds s"
  "$dir/$target" "$dir/corpus-$target" -dict=fuzz/scenario.dict \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$dir/$target-" -print_final_stats=1
done
