#!/usr/bin/env bash
# Checks the micro-benchmarks' malloc counts against the committed thresholds in Thresholds/.
# Only mallocCountTotal is measured and compared; times are never asserted.
#
#   bash Benchmarks/check-thresholds.sh          # skips the 1M timer benchmarks (about 3 minutes more)
#   bash Benchmarks/check-thresholds.sh --all    # every benchmark
#   CHECK_FILTER='insert\.wheel\..*' bash Benchmarks/check-thresholds.sh   # a subset (a regex on names)
#
# Exit 0 when every count is within its tolerance, or better than its threshold (then it says how to
# record the new counts); 1 on a regression or any other failure.
set -uo pipefail
cd "$(dirname "$0")"

selection=(--skip ".*1M.*")
skip_hint=' --skip ".*1M.*"'   # for the update command printed below: re-record what was checked
if [ "${1:-}" = "--all" ]; then selection=(); skip_hint=""; fi
if [ -n "${CHECK_FILTER:-}" ]; then selection+=(--filter "$CHECK_FILTER"); fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The plugin reports the tool's verdict as a thrown error ("error: benchmarkThresholdRegression",
# "error: benchmarkThresholdImprovement") and exits 1 for both, so the verdict is read from the output.
# --path is absolute: the tool does not run in this folder.
swift package benchmark thresholds check --path "$PWD/Thresholds" --metric mallocCountTotal --no-progress \
    "${selection[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

if [ "$rc" -eq 0 ]; then
    echo "malloc thresholds: every benchmark within tolerance"
elif grep -q "error: benchmarkThresholdImprovement" "$log"; then
    echo "malloc thresholds: some counts are better than recorded (not a failure); record them with"
    echo "  cd Benchmarks && swift package --allow-writing-to-package-directory benchmark thresholds update --metric mallocCountTotal --no-progress$skip_hint"
    rc=0
elif grep -q "error: benchmarkThresholdRegression" "$log"; then
    echo "malloc thresholds: REGRESSION, see 'Deviations worse than threshold' above"
else
    echo "malloc thresholds: the check failed (exit $rc)"
fi
exit "$rc"
