#!/usr/bin/env bash
# setup.sh - install what mxsim needs from Debian 12 packages, and nothing else.
# Idempotent: when every package is present it only checks and returns.
# Uses sudo only when not already root. Downloads nothing outside apt.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config clang-format
  # libraries (DESIGN.md: Boost.Graph, Boost.Random, nlohmann/json, Catch2, Qt Charts, MPI)
  libboost-dev libboost-graph-dev nlohmann-json3-dev catch2 libabsl-dev libcli11-dev
  libsqlite3-dev libfmt-dev libsimdjson-dev
  # the allocator of mxsim and mxsim-bench (docs/benchmarks.md, session 8)
  libmimalloc-dev
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev
  libopenmpi-dev openmpi-bin
  # offscreen chart renders need a font for their text
  fonts-dejavu-core
  # the man_pages test renders docs/man/*.1 with groff
  groff-base
  # run draws backscatter*.svg with Graphviz's dot when it is there (tested, so installed)
  graphviz
  # mxsim-bench flood --peer: the SimPy 2 peer model (bench/peer/)
  python3 python3-simpy
  # scripts/fuzz.sh: clang and its libFuzzer/sanitizer runtimes
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
