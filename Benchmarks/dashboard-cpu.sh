#!/usr/bin/env bash
# The CPU a watching dashboard takes from W2: runs W2 (JOBS jobs, concurrency C) with the release
# docket-workloads, and once the drain runs, a release `docket web --read-only` on its journal as a
# process of its own, with two curl loops acting as two open tabs (the overview and the jobs page,
# each fetched every 2 s with the live-update header). Prints the dashboard's CPU seconds (from
# /proc), W2's JSON rows and each tab's request times.
#
#   swift build -c release --product docket-workloads && swift build -c release --product docket
#   bash Benchmarks/dashboard-cpu.sh            # JOBS=600000 C=16 by default
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-600000}
C=${C:-16}
PORT=${PORT:-18181}
DOCKET=${DOCKET:-.build/release/docket}
WORKLOADS=${WORKLOADS:-.build/release/docket-workloads}
out=$(mktemp -d)
export TMPDIR=$out
"$WORKLOADS" --workload W2 --jobs "$JOBS" --concurrency "$C" > "$out/w2.json" 2> "$out/w2.err" &
w2=$!
journal=""
while [ -z "$journal" ]; do sleep 0.2; journal=$(ls -d "$out"/docket-workloads-*/w2.docket 2>/dev/null | head -1 || true); done
# The enqueue is not what is measured: wait for the drain to start.
while ! grep -q ": running" "$out/w2.err"; do sleep 0.1; done
"$DOCKET" web --journal "$journal" --port "$PORT" --read-only > "$out/web.log" 2>&1 &
web=$!
sleep 0.5
for page in / /jobs; do
    (while kill -0 "$w2" 2>/dev/null; do
        curl -s -o /dev/null -w "$page %{http_code} %{time_total}\n" -H 'X-Docket-Live: 1' "http://127.0.0.1:$PORT$page" >> "$out/times" || true
        sleep 2
    done) &
done
wait "$w2"
read -r -a stat < "/proc/$web/stat"
awk -v ticks="$(( stat[13] + stat[14] ))" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "docket web CPU seconds: %.2f\n", ticks / hz}'
kill "$web"
grep '"W2"' "$out/w2.json"
awk '{n[$1]++; s[$1]+=$3; if ($3 > m[$1]) m[$1] = $3; if ($2 != 200) bad++}
     END {for (k in n) printf "%s: %d requests, mean %.1f ms, max %.1f ms\n", k, n[k], s[k] / n[k] * 1000, m[k] * 1000; print "not 200: " bad + 0}' "$out/times"
rm -rf "$out"
