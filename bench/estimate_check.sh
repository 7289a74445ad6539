#!/usr/bin/env bash
# estimate_check.sh - the work estimate against measured peak memory, on worlds of
# each kind (10^5 hosts, 10^5 MTAs, 10^5 domains, 10^6 listed and counted mailboxes,
# ten variants, 864,000 bins, 200 jobs), the shipped scenarios and the flood.
#   bench/estimate_check.sh [BUILD_DIR]   (default build; about 2 minutes, 12 GiB)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import copy, json, sys
out = sys.argv[1]
base = json.load(open("scenarios/relay-denied.json"))
def world(name, change, keep_variants=True):
    d = copy.deepcopy(base)
    if not keep_variants:
        d.pop("variants", None)
    change(d)
    json.dump(d, open(f"{out}/{name}.json", "w"))
mx = [{"preference": 10, "host": "mx.dest.example"}]
world("hosts-1e5", lambda d: d["hosts"].append({"name": "h{i}.example", "count": 100000}))
world("mtas-1e5", lambda d: d["hosts"].append(
    {"name": "m{i}.example", "count": 100000, "mta": {"local_domains": ["d{i}.example"]}}))
world("domains-1e5", lambda d: d["domains"].append(
    {"name": "d{i}.example", "count": 100000, "mailboxes": ["a"], "mx": mx}))
world("listed-mailboxes-1e6", lambda d: d["domains"][1].__setitem__(
    "mailboxes", ["u%d" % i for i in range(1000000)]))
world("counted-mailboxes-1e6", lambda d: d["domains"][1].__setitem__(
    "mailboxes", {"count": 1000000, "pattern": "u{i}"}))
world("hosts-1e5-x10-variants", lambda d: (
    d["hosts"].append({"name": "h{i}.example", "count": 100000}),
    d.__setitem__("variants", [{"name": "v%d" % k, "set": [{"path": "/seed", "value": k + 2}]}
                               for k in range(9)])))
world("bins-864000", lambda d: (d.__setitem__("duration", "10d"),
                                d.__setitem__("bin_width", "1s")), keep_variants=False)
world("jobs-200", lambda d: (d.__setitem__("replications", 200),
                             d.__setitem__("bin_width", "1m")), keep_variants=False)
PY
"$build/mxsim-bench" flood --write-scenario "$dir/flood-1e6.json" >/dev/null
"$build/mxsim-estimate-check" "$dir"/*.json scenarios/klez-flood.json \
  scenarios/mailbox-rate-limit.json
