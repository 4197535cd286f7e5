#!/usr/bin/env bash
# Installs (npm ci, when node_modules is missing or holds another version) and starts the local Cosmos DB server the
# Cosmos store is tested against: @vercel/cosmosdb-server, pinned in tests/tools/cosmosdb-server, through its server.js
# (which adds the change feed the package lacks; see that file). It listens on 127.0.0.1 only, over HTTPS with a
# self-signed certificate, which the store accepts for a loopback endpoint only. Data lives in memory: a restart empties it.
#
#   scripts/cosmosdb-server.sh [port]          (default 8081, the emulator's port)
#
# Then point the app at it (it creates the database and containers itself on a local endpoint):
#   export CosmosDb="AccountEndpoint=https://127.0.0.1:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==;"
# (cosmosdb-server checks no key; that one is the emulator's well-known key.) Needs Node.js 20+ with npm.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool="$root/tests/tools/cosmosdb-server"
port="${1:-8081}"

command -v node >/dev/null && command -v npm >/dev/null || {
  echo "cosmosdb-server: node and npm are needed (Node.js 20+; Debian: apt-get install nodejs npm)." >&2
  exit 1
}

wanted="$(node -p "require('$tool/package-lock.json').packages['node_modules/@vercel/cosmosdb-server'].version")"
installed="$(node -p "try { require('$tool/node_modules/@vercel/cosmosdb-server/package.json').version } catch { '' }")"
if [[ "$installed" != "$wanted" ]]; then
  (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$tool"
exec node server.js --host 127.0.0.1 --port "$port"
