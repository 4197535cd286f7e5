#!/usr/bin/env bash
# Azurite's queue service for development (docs/azure-queues.md): installs the pinned Azurite (tests/tools/azurite,
# `npm ci` when node_modules is missing or differs from package-lock.json) and runs it in the foreground on 127.0.0.1,
# in memory (nothing is kept after it stops), telemetry off. Prints the setting that points the app at it. Ctrl-C stops it.
#
#   scripts/azurite.sh [port]        (default 10001, Azurite's usual queue port)
#
# Then, in another shell:
#   export AzureWebJobsStorage='<the connection string printed below>'
#   dotnet run --project functions/AstraTrade.Functions
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/tests/tools/azurite"
port="${1:-10001}"
if ! [[ "$port" =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
  echo "usage: scripts/azurite.sh [port]   (port: 1-65535, default 10001)" >&2
  exit 2
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is not installed: Azurite needs Node.js 20+ with npm (Debian: apt-get install nodejs npm)." >&2
    exit 1
  fi
done

wanted="$(node -p "require('$tools/package-lock.json').packages['node_modules/azurite'].version")"
installed="$(node -p "try { require('$tools/node_modules/azurite/package.json').version } catch { '' }")"
if [[ "$wanted" != "$installed" ]]; then
  echo "Installing azurite $wanted in tests/tools/azurite (npm ci)..."
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Azurite's published development account; not a secret.
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;QueueEndpoint=http://127.0.0.1:$port/devstoreaccount1"
echo
echo "Azurite queue service on http://127.0.0.1:$port (in memory). Point the app at it with:"
echo "  export AzureWebJobsStorage='$connection'"
if [[ "$port" == 10001 ]]; then
  echo "  (or, on this default port: export AzureWebJobsStorage='UseDevelopmentStorage=true')"
fi
echo

exec node "$tools/node_modules/azurite/dist/src/queue/main.js" \
  --queueHost 127.0.0.1 --queuePort "$port" --inMemoryPersistence --disableTelemetry
