#!/usr/bin/env bash
# Where the journal writer's time goes in W2: samples a run with perf (cpu-clock, so it works where the
# CPU's counters are not available) and splits the samples taken during Docket's drain between the
# writer thread's SQLite, kernel and everything else (Docket, the Swift runtime, libc, which includes
# SQLite's own calls of malloc and memmove), and the other threads; in microseconds of CPU per job.
#
#   swift build -c release --product docket-workloads
#   bash Benchmarks/profile-writer.sh .build/release/docket-workloads [more docket-workloads flags]
#
# JOBS (100000) and CONCURRENCY (64) set the run; durability is normal, so that fsync hides nothing.
# The writer thread is the thread with the most samples during the drain; the drain is the span of the
# samples whose stacks hold Docket's runners.
set -euo pipefail
binary=$1
shift
data=$(mktemp)
trap 'rm -f "$data" "$data".txt "$data".json' EXIT
perf record -q -e cpu-clock -F 4000 -g -o "$data" "$binary" --workload W2 --jobs "${JOBS:-100000}" \
    --concurrency "${CONCURRENCY:-64}" --durability normal "$@" 2>/dev/null >"$data.json"
perf script -i "$data" -F tid,time,ip,sym,dso 2>/dev/null >"$data.txt"
python3 - "$data.txt" "$data.json" <<'PY'
import collections, json, sys

samples, current = [], None
for line in open(sys.argv[1]):
    if line.strip() and not line.startswith("\t"):
        fields = line.split()
        current = {"tid": int(fields[0]), "time": float(fields[1].rstrip(":")), "stack": []}
        samples.append(current)
    elif line.strip() and current is not None:
        current["stack"].append(line.strip())
marked = [s["time"] for s in samples if any("AttemptRunners" in f or "TickSender" in f for f in s["stack"])]
start, end = min(marked), max(marked)
drain = [s for s in samples if start <= s["time"] <= end]
writer = collections.Counter(s["tid"] for s in drain).most_common(1)[0][0]
parts = collections.Counter()
for s in drain:
    if s["tid"] != writer:
        parts["other threads"] += 1
        continue
    leaf = s["stack"][0] if s["stack"] else "?"
    library = leaf[leaf.rfind("(") + 1:-1]
    parts["writer: " + ("SQLite" if "sqlite" in library else "kernel" if "kernel" in library else "the rest")] += 1
row = next(json.loads(l) for l in open(sys.argv[2]) if '"system":"docket"' in l)
per_job = {name: round(count * 250 / row["jobs"], 2) for name, count in sorted(parts.items())}  # 4 kHz: 250 µs a sample
print(json.dumps({"jobs_per_s": round(row["jobs_per_s"]), "cpu_us_per_job": per_job}))
PY
