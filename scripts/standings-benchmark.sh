#!/usr/bin/env bash
# Tournament standings latency benchmark (docs/PERFORMANCE.md, "Tournament standings latency", has the numbers).
#
#   scripts/standings-benchmark.sh [--runs N] [--players N] [--trades N] [--rate R] [--no-build] [--keep] [-- CLIENT OPTIONS]
#
# For each run: start the app from its Release build on a free 127.0.0.1 port with a fresh temporary data directory and
# the settings below, wait for /health, then run tests/AstraTrade.LoadTest in its standings mode: register an admin and
# --players players (default 10,000), create (as the admin) a custom tournament for that many players starting 20 s
# later, join them all, wait until it is live, give every player a trade, open the tournament's standings stream
# (GET /api/v1/tournaments/{id}/stream) as one player, and then, after a 5 s warm-up, time --trades measured trades
# (default 3,000) at --rate per second (default 100) from 300 players, with 200 trades/s from the other players as
# background: from each trade's HTTP response (and from its request) to the standing message it caused. The app is
# stopped after each run and the temporary directory removed on exit (--keep keeps it). Client options (see
# `dotnet tests/AstraTrade.LoadTest/bin/Release/net10.0/AstraTrade.LoadTest.dll standings --help`) go after "--".
# Everything binds to and targets 127.0.0.1 only. Every step is bounded: the client is killed after 30 minutes.
#
# Settings changed from production defaults, for the benchmark only (production keeps the defaults):
#   Auth:PasswordIterations     600,000 -> 1,000   the 10,001 sign-ups are set-up, not what is measured: at 600,000
#                                                  iterations each costs ~0.2 s of CPU, over half an hour for 10,000
#   RateLimits:AuthPerMinute    20 -> 1,000,000    every player signs up from this one address
#   RateLimits:OrdersPerMinute  60 -> 100,000,000  not reached with the defaults (a measured player places ~10 orders a
#                                                  minute), but higher --rate or fewer measured players would be
#   Auth:AccessTokenLifetime    15 min -> 2 h      the set-up of 10,000 players on a busy 2-core machine can take longer
#                                                  than 15 minutes; the tokens from sign-up must outlast the run
#   Auth:AdminUsernames         none -> standings-admin   the admin who creates the tournament
# No tournament rule is changed: the tournament's own MaxEntries is the number of players, registration opens 24 h
# before a start (so at once), and a custom tournament lasts at least an hour, much longer than a run.
# And one runtime setting, as in scripts/load-test.sh: DOTNET_gcServer=0 (workstation GC on these 2 shared cores).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=1
BUILD=1
KEEP=0
PLAYERS=10000
TRADES=3000
RATE=100
CLIENT_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --players) PLAYERS=$2; shift 2 ;;
    --trades) TRADES=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --) shift; CLIENT_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
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

WORK=$(mktemp -d -t astratrade-standings.XXXXXX)
APP_PID=
cleanup() {
  if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then kill -KILL "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if [[ $KEEP == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

ADMIN=standings-admin
export DOTNET_gcServer=${DOTNET_gcServer:-0}
export Auth__PasswordIterations=1000
export Auth__AccessTokenLifetime=02:00:00
export Auth__AdminUsernames__0=$ADMIN
export RateLimits__OrdersPerMinute=100000000
export RateLimits__AuthPerMinute=1000000
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

# A graceful stop (SIGTERM), then SIGKILL if it has not exited within 20 s.
stop_app() {
  kill -TERM "$APP_PID" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=
}

FAILED=0
SUMMARIES=()
for run in $(seq 1 "$RUNS"); do
  DATA=$WORK/data-$run
  mkdir -p "$DATA"
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "== run $run/$RUNS: data $DATA; $(nproc) cores; load average $LOAD_BEFORE"
  start_app "$DATA" "$WORK/app-$run.log"
  echo "app pid $APP_PID at $URL"

  set +e
  timeout -s KILL 1800 dotnet "$CLIENT_DIR/AstraTrade.LoadTest.dll" standings --url "$URL" --server-pid "$APP_PID" --admin "$ADMIN" \
    --user-prefix "sb$run" --players "$PLAYERS" --trades "$TRADES" --rate "$RATE" "${CLIENT_ARGS[@]}" | tee "$WORK/client-$run.log"
  CLIENT_RC=${PIPESTATUS[0]}
  set -e
  LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
  APP_MEM=$(awk '/^VmHWM|^VmRSS/ {printf "%s %d MiB ", $1, $2 / 1024}' "/proc/$APP_PID/status" 2>/dev/null || true)
  echo "== run $run: load average before $LOAD_BEFORE, after $LOAD_AFTER; app memory: $APP_MEM"

  stop_app
  if [[ $CLIENT_RC != 0 ]]; then FAILED=1; echo "== run $run FAILED (client exit $CLIENT_RC)"; fi
  SUMMARIES+=("run $run (load average before $LOAD_BEFORE, after $LOAD_AFTER): $(grep '^SUMMARY ' "$WORK/client-$run.log" | tail -1)")
  if grep -qiE 'fail|crit|exception' "$WORK/app-$run.log"; then echo "== app log of run $run has errors:"; grep -iE -A3 'fail|crit|exception' "$WORK/app-$run.log" | head -40; fi
done

echo
echo "== summaries"
printf '%s\n' "${SUMMARIES[@]}"
if [[ $FAILED == 0 ]]; then echo "== standings benchmark PASSED"; else echo "== standings benchmark FAILED"; fi
exit $FAILED
