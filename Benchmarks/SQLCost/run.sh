#!/usr/bin/env bash
# Instructions per job of the drain, from callgrind, for the journal as it is and for each variant of
# sqlcost.c. Instruction counts do not depend on the machine's load, so variants compare exactly.
#   bash Benchmarks/SQLCost/run.sh            # 10,000 jobs a variant, about 20 s each here
set -euo pipefail
cd "$(dirname "$0")"
binary=$(mktemp)
trap 'rm -f "$binary" "$binary".out' EXIT
cc -O2 -g -o "$binary" sqlcost.c -lsqlite3
jobs=${JOBS:-10000}
variants=(
    ""
    "--state-v9" "--state-in-list" "--no-state" "--no-finished" "--no-counts" "--no-names" "--no-prio"
    "--no-unique" "--no-schedule" "--no-returning" "--batch-complete" "--narrow" "-b 16" "-b 256"
    "--no-state --no-finished --no-counts --no-names --no-prio --no-unique --no-schedule"
    "--narrow --no-state --no-finished --no-counts --no-names --no-prio"
)
for variant in "${variants[@]}"; do
    # shellcheck disable=SC2086
    valgrind --tool=callgrind --toggle-collect=drain --callgrind-out-file="$binary.out" \
        "$binary" -n "$jobs" -p "$(mktemp -u)" $variant >/dev/null 2>&1
    total=$(awk '/^(summary|totals):/ {print $2; exit}' "$binary.out")
    printf '%-90s %8d instructions per job\n' "${variant:-(the journal as it is)}" $((total / jobs))
done
