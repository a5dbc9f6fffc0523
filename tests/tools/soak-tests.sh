#!/usr/bin/env bash
# make soak-tests: runs the real-peer tests (TUN, pty, Linux tools; needs root) RUNS times in a row to
# find races that one run does not show. Stops at the first failing run and keeps its reports.
# Usage: soak-tests.sh RUNS TEST_PATTERN      (the modules must be built: make soak-tests does it)
# The tests run against this checkout's own build (the reactor), not what ~/.m2 holds.
set -u
runs=${1:-20}
pattern=${2:-io.jwip.tests.reallink.**}
cd "$(dirname "$0")/../.."
out=tests/target/soak
rm -rf "$out" && mkdir -p "$out"
echo "soak-tests: $runs runs of $pattern (reports of a failing run in $out/)"
start=$(date +%s)
for i in $(seq 1 "$runs"); do
  t0=$(date +%s)
  if CI=true mvn -B -q -o -pl tests -am test-compile surefire:test -Dtest="$pattern" -Dsurefire.failIfNoSpecifiedTests=false \
       > "$out/run-$i.log" 2>&1; then
    echo "run $i/$runs: passed in $(( $(date +%s) - t0 )) s"
    rm -f "$out/run-$i.log"
  else
    echo "run $i/$runs: FAILED after $(( $(date +%s) - t0 )) s; output in $out/run-$i.log, reports in $out/run-$i-reports"
    cp -r tests/target/surefire-reports "$out/run-$i-reports" 2>/dev/null
    grep -E "<<< FAIL|AssertionFailed|Exception" "$out/run-$i.log" | head -n 20
    exit 1
  fi
done
echo "soak-tests: $runs of $runs runs passed in $(( $(date +%s) - start )) s"
