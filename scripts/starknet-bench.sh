#!/usr/bin/env bash
# Starknet crypto micro-benchmarks: BenchmarkDotNet for AstraTrade.Starknet, then starknet.js (the version the vector
# tests pin) on the same inputs, one after the other on the same machine (docs/PERFORMANCE.md, "Starknet crypto").
#
#   scripts/starknet-bench.sh [--short] [-- BENCHMARKDOTNET OPTIONS]
#
# --short uses BenchmarkDotNet's ShortRun job (3 iterations): a rough look in about a minute. Without it the default job
# runs until the confidence interval is tight, a few minutes. Both halves print tables; BenchmarkDotNet's reports go to
# $TMPDIR/astratrade-starknet-bench. The machine is shared: note the load average the two halves print beside the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

JOB=()
BDN_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --short) JOB=(--job short); shift ;;
    --) shift; BDN_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

ARTIFACTS="${TMPDIR:-/tmp}/astratrade-starknet-bench"
echo "== AstraTrade.Starknet (BenchmarkDotNet), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
dotnet run -c Release --project tests/AstraTrade.Starknet.Benchmarks -- \
  --filter '*CryptoBenchmarks*' --artifacts "$ARTIFACTS" "${JOB[@]}" "${BDN_ARGS[@]}"

VECTORS="$ROOT/tests/AstraTrade.Starknet.Tests/vectors"
locked=$(node -e "console.log(require('$VECTORS/package-lock.json').packages['node_modules/starknet'].version)")
installed=$(node -e "try{console.log(require('$VECTORS/node_modules/starknet/package.json').version)}catch{console.log('none')}")
if [[ "$locked" != "$installed" ]]; then
  (cd "$VECTORS" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo
echo "== starknet.js $locked (node bench.mjs: 1 s warm-up, 5 trials of ~1 s)"
(cd "$VECTORS" && node bench.mjs)
