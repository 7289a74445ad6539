#!/usr/bin/env bash
# interrupt_check.sh MXSIM WORK - a run into a folder another run holds is refused;
# SIGINT and SIGTERM stop a run with exit 130, a message, the old results untouched
# and no temporary files or lock left (issue 12, point 4). long-run.json runs for hours.
set -u
mxsim=$1 work=$2
scenario="$(dirname "$0")/long-run.json"
fail() { echo "interrupt_check: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/out" && echo old >"$work/out/summary.json"

start_run() {  # starts a run in the background; waits until it holds the lock
  # --force: the fake old summary.json is no run's (result_owner.hpp)
  "$mxsim" run "$scenario" --quiet --force --out "$work/out" >/dev/null 2>"$work/err" &
  pid=$!
  for _ in $(seq 100); do [ -e "$work/.out.lock" ] && return; sleep 0.1; done
  kill -KILL $pid; fail "the run never took its lock"
}
stop_run() {  # SIGNAL: sends it, checks the exit and what is left
  kill -"$1" $pid
  wait $pid; rc=$?
  [ $rc -eq 130 ] || fail "SIG$1: exit $rc, not 130: $(cat "$work/err")"
  grep -q "interrupted by SIG$1: stopped, nothing written" "$work/err" ||
    fail "SIG$1: no message: $(cat "$work/err")"
  [ "$(cat "$work/out/summary.json")" = old ] || fail "SIG$1: the old results changed"
  left=$(ls -A "$work" | grep -v -x -e out -e err)
  [ -z "$left" ] || fail "SIG$1: left behind: $left"
}

start_run
timeout 60 "$mxsim" run "$scenario" --quiet --force --out "$work/out" >/dev/null 2>"$work/err2"
rc=$?
[ $rc -eq 1 ] || { kill -KILL $pid; fail "a second run into the folder: exit $rc, not 1"; }
grep -q "another mxsim run (process $pid) is writing its results here" "$work/err2" ||
  { kill -KILL $pid; fail "a second run: no message: $(cat "$work/err2")"; }
rm "$work/err2"
stop_run INT
start_run
stop_run TERM
echo "interrupt_check: ok"
