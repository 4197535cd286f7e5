#!/usr/bin/env bash
# Benchmark of the workflow runtime (docs/PERFORMANCE.md, "Workflow runtime", has the numbers this produced).
#
#   scripts/workflow-benchmark.sh [--no-build] [--runs N] [INSTANCES [RATE [CONCURRENCY [FILL_MS]]]]
#
# Builds tests/AstraTrade.Orchestrations.CrashHost in Release and runs its benchmark mode on a fresh temporary data
# directory: trade lifecycles (six activities and one durable timer each) started open-loop at RATE per second
# (0: all at once) on the embedded store and the in-process queue, in one process. It prints the instances completed
# per second (from the first start to the last completion), the timer lateness (when the timer's step ran minus its due
# time) p50/p95/p99/max, and the process's CPU time, allocations and GCs. Defaults: 30,000 instances at 1,000/s, the
# host's default concurrency (CONCURRENCY 0), a 100 ms timer. Nothing listens on the network (there is nothing to
# bind: store and queue are in-process); each run stops by itself once every instance has completed, or is killed
# after 10 minutes.
# The temporary directory is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BUILD=1
RUNS=1
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    -h|--help) sed -n '2,/^# The temporary/p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
INSTANCES=${ARGS[0]:-30000}
RATE=${ARGS[1]:-1000}
CONCURRENCY=${ARGS[2]:-0}
FILL_MS=${ARGS[3]:-100}

HOST_DLL=$ROOT/tests/AstraTrade.Orchestrations.CrashHost/bin/Release/net10.0/AstraTrade.Orchestrations.CrashHost.dll
if [[ $BUILD == 1 ]]; then
  echo "== building Release"
  dotnet build -c Release -nologo -v q tests/AstraTrade.Orchestrations.CrashHost/AstraTrade.Orchestrations.CrashHost.csproj
fi

WORK=$(mktemp -d -t astratrade-wf-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

for ((run = 1; run <= RUNS; run++)); do
  echo "== run $run of $RUNS ($(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  rm -rf "$WORK/data"
  timeout --signal=KILL 600 dotnet "$HOST_DLL" benchmark "$WORK/data" "$INSTANCES" "$RATE" "$CONCURRENCY" "$FILL_MS"
  echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
