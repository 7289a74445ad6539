#!/bin/bash
# ab_flood.sh - two builds' in-process flood speed, measured in one sitting.
# Usage: bench/ab_flood.sh OLD/mxsim-bench NEW/mxsim-bench [PAIRS]
# Runs `mxsim-bench flood --reps 1 --json` of the old and the new build in
# turn, PAIRS times (default 7), and prints each one's events/s, their medians
# and the ratio: on a shared machine whose speed drifts from minute to minute,
# alternating runs compare the builds, not the minutes.
set -euo pipefail
if [[ $# -lt 2 ]]; then
    echo "usage: $0 OLD/mxsim-bench NEW/mxsim-bench [PAIRS]" >&2
    exit 2
fi
old=$1 new=$2 pairs=${3:-7}
for bench in "$old" "$new"; do
    [[ -x $bench ]] || { echo "$0: $bench: not an executable" >&2; exit 2; }
done
rate() { "$1" flood --reps 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["events_per_second"])'; }
for _ in $(seq "$pairs"); do
    echo "old $(rate "$old")"
    echo "new $(rate "$new")"
done | python3 -c '
import statistics, sys
runs = {"old": [], "new": []}
for line in sys.stdin:
    build, value = line.split()
    runs[build].append(float(value))
for build, values in runs.items():
    print(f"{build}: median {statistics.median(values) / 1e6:.2f} M events/s  "
          + " ".join(f"{v / 1e6:.2f}" for v in values))
old, new = runs["old"], runs["new"]
wins = sum(n > o for o, n in zip(old, new))
ratio = statistics.median(new) / statistics.median(old)
print(f"new / old: {ratio:.3f} (the new build faster in {wins} of {len(new)} pairs)")
'
