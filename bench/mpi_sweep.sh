#!/usr/bin/env bash
# mpi_sweep.sh - the MPI benchmark (issue 6): the 16-job sweep bench/sweep-16.json
# with `mpirun -np 1` and `mpirun -np 2`, median wall time of REPS runs each, the
# speedup, and a check that both wrote the same results. See docs/benchmarks.md.
# Usage: bench/mpi_sweep.sh [BUILD_DIR (default build)] [REPS (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
reps=${2:-3}
mxsim=$build/mxsim
scenario=bench/sweep-16.json
[[ -x $mxsim ]] || { echo "mpi_sweep.sh: no $mxsim (build first)" >&2; exit 2; }
command -v mpirun >/dev/null || { echo "mpi_sweep.sh: no mpirun (Open MPI)" >&2; exit 2; }
if [[ $(id -u) == 0 ]]; then  # Open MPI refuses root without these
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# "wall cpu" seconds of one run, launcher start-up included; cpu = user + sys of
# mpirun and the ranks. cpu / (wall x ranks) near 1 means the run had its cores.
timed_run() {
  local ranks=$1 out=$2 t
  TIMEFORMAT='%R %U %S'
  t=$( { time mpirun --oversubscribe -np "$ranks" "$mxsim" run "$scenario" --quiet --out "$out" >/dev/null; } 2>&1 )
  awk '{ print $1, $2 + $3 }' <<<"$t"
}

echo "mxsim MPI sweep benchmark: $scenario (16 jobs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A med
for rep in $(seq "$reps"); do  # interleaved, so a busy spell hits both alike
  for ranks in 1 2; do
    read -r wall cpu < <(timed_run "$ranks" "$work/np$ranks")
    printf '  run %d, %d rank(s): %6.2f s wall, %6.2f s CPU, cores busy %.0f%%\n' "$rep" "$ranks" \
      "$wall" "$cpu" "$(awk -v w="$wall" -v c="$cpu" -v r="$ranks" 'BEGIN { print 100 * c / (w * r) }')"
    echo "$wall" >>"$work/times$ranks"
  done
done
for ranks in 1 2; do
  med[$ranks]=$(median <"$work/times$ranks")
  printf '%d rank(s): median %.2f s\n' "$ranks" "${med[$ranks]}"
done
printf 'speedup (median 1 rank / median 2 ranks): %.2fx\n' "$(awk -v a="${med[1]}" -v b="${med[2]}" 'BEGIN { print a / b }')"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for f in timeseries.csv backscatter.dot; do
  cmp -s "$work/np1/$f" "$work/np2/$f" || { echo "mpi_sweep.sh: $f differs between 1 and 2 ranks" >&2; exit 1; }
done
echo "results: identical on 1 and 2 ranks"
