#!/usr/bin/env bash
# Load test of the standalone app (docs/PERFORMANCE.md has the numbers this produced and how to read them).
#
#   scripts/load-test.sh [--runs N] [--no-build] [--keep] [-- CLIENT OPTIONS]
#
# For each run: start the app from its Release build on a free 127.0.0.1 port with a fresh temporary data directory and
# the load-test settings below, wait for /health, run tests/AstraTrade.LoadTest (register users, warm up, then a measured
# closed loop of place + close, with XP-visibility probes), kill the app with SIGKILL (no graceful shutdown: only what was
# fsynced survives), restart it on the same data directory and check through the API that every placement and close the
# client saw acknowledged is stored. Everything binds to and targets 127.0.0.1 only; every step is bounded in time; the
# temporary directory and the app are removed/stopped on exit. Client options (see --help of the client) go after "--";
# the defaults are the ones the documented numbers use. The client stops by itself (at most 30 min measured + 10 min
# warm-up); the script also kills it after 45 minutes, and the verification after 15.
#
# Settings changed from production defaults, for the load test only (production keeps the defaults):
#   RateLimits:OrdersPerMinute  60 -> 100,000,000  the per-user limit would otherwise cap each user at 1 order/s
#   RateLimits:AuthPerMinute    20 -> 1,000,000    the client signs in hundreds of users from one address
#   Auth:PasswordIterations     600,000 -> 1,000   registration is set-up, not what is measured: at 600,000 iterations
#                                                  each sign-up costs ~0.2 s of CPU, i.e. minutes for the users here
#   Gamification:Rules:MinimumHold  60 s -> 0      closes must qualify for XP immediately, or the XP lag is unmeasurable
# and one runtime setting, which is not a product rule: DOTNET_gcServer=0 (workstation GC; see below).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=1
BUILD=1
KEEP=0
CLIENT_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --) shift; CLIENT_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (client options go after --)" >&2; exit 2 ;;
  esac
done

APP_DIR=${LOAD_APP_DIR:-$ROOT/functions/AstraTrade.Functions/bin/Release/net10.0}  # LOAD_APP_DIR: A/B another build
CLIENT_DIR=$ROOT/tests/AstraTrade.LoadTest/bin/Release/net10.0
if [[ $BUILD == 1 ]]; then
  echo "== building Release"
  dotnet build -c Release -nologo -v q functions/AstraTrade.Functions/AstraTrade.Functions.csproj
  dotnet build -c Release -nologo -v q tests/AstraTrade.LoadTest/AstraTrade.LoadTest.csproj
fi

WORK=$(mktemp -d -t astratrade-load.XXXXXX)
APP_PID=
cleanup() {
  if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then kill -KILL "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if [[ $KEEP == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The app's runtime settings for the load test (see the header).
# Workstation GC instead of the Web SDK's default server GC: on these 2 shared cores server GC cost 40 % or more of the
# throughput and produced 140-330 ms pauses (docs/PERFORMANCE.md). It is a runtime setting of the host, not a
# load-test shortcut: deploy 1-2 core instances with DOTNET_gcServer=0 too. Override by exporting DOTNET_gcServer.
export DOTNET_gcServer=${DOTNET_gcServer:-0}
export Auth__PasswordIterations=1000
export RateLimits__OrdersPerMinute=100000000
export RateLimits__AuthPerMinute=1000000
export Gamification__Rules__MinimumHold=00:00:00
export ASPNETCORE_ENVIRONMENT=Production

# 200 from GET /health? Plain bash (/dev/tcp), so the script needs nothing beyond the .NET SDK.
health_ok() {
  local port=${1##*:}
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 && head -1 <&3" 2>/dev/null \
    | grep -q ' 200 '
}

# Starts the app on DATA with port 0 (the kernel picks a free port) and sets APP_PID and URL once /health answers 200.
start_app() {
  local data=$1 log=$2
  (cd "$APP_DIR" && Store__DataDirectory=$data exec dotnet AstraTrade.Functions.dll --urls http://127.0.0.1:0 >"$log" 2>&1) &
  APP_PID=$!
  URL=
  for _ in $(seq 1 600); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then echo "the app exited during start:" >&2; cat "$log" >&2; return 1; fi
    if [[ -z $URL ]]; then URL=$(grep -oE 'Now listening on: http://127\.0\.0\.1:[0-9]+' "$log" | head -1 | sed 's/Now listening on: //' || true); fi
    if [[ -n $URL ]] && health_ok "$URL"; then return 0; fi
    sleep 0.1
  done
  echo "the app did not become healthy within 60 s:" >&2; cat "$log" >&2; return 1
}

stop_app() {
  kill -"$1" "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=
}

FAILED=0
SUMMARIES=()
for run in $(seq 1 "$RUNS"); do
  DATA=$WORK/data-$run
  mkdir -p "$DATA"
  echo "== run $run/$RUNS: data $DATA"
  start_app "$DATA" "$WORK/app-$run.log"
  echo "app pid $APP_PID at $URL (nproc $(nproc))"

  set +e
  timeout -s KILL 2700 dotnet "$CLIENT_DIR/AstraTrade.LoadTest.dll" --url "$URL" --server-pid "$APP_PID" --ack-file "$WORK/ack-$run.jsonl" \
    --user-prefix "lt$run" "${CLIENT_ARGS[@]}" | tee "$WORK/client-$run.log"
  CLIENT_RC=${PIPESTATUS[0]}
  set -e

  # SIGKILL, not a graceful stop: the durability check then sees only what the store had fsynced.
  stop_app KILL
  echo "== run $run: app killed (SIGKILL); restarting on the same data directory for the durability check"
  start_app "$DATA" "$WORK/app-$run-verify.log"
  set +e
  timeout -s KILL 900 dotnet "$CLIENT_DIR/AstraTrade.LoadTest.dll" --url "$URL" --verify "$WORK/ack-$run.jsonl" | tee "$WORK/verify-$run.log"
  VERIFY_RC=${PIPESTATUS[0]}
  set -e
  stop_app TERM
  if [[ $CLIENT_RC != 0 || $VERIFY_RC != 0 ]]; then FAILED=1; echo "== run $run FAILED (client exit $CLIENT_RC, verify exit $VERIFY_RC)"; fi
  SUMMARIES+=("run $run: $(grep '^SUMMARY ' "$WORK/client-$run.log" | tail -1)")
  SUMMARIES+=("run $run: $(grep '^VERIFY ' "$WORK/verify-$run.log" | tail -1)")
  if grep -qiE 'fail|crit|exception' "$WORK/app-$run.log"; then echo "== app log of run $run has errors:"; grep -iE -A3 'fail|crit|exception' "$WORK/app-$run.log" | head -40; fi
done

echo
echo "== summaries"
printf '%s\n' "${SUMMARIES[@]}"
if [[ $FAILED == 0 ]]; then echo "== load test PASSED"; else echo "== load test FAILED"; fi
exit $FAILED
