#!/usr/bin/env bash
# Produces the deployable Azure Functions folder (custom handler): the published app, host.json, and one
# <FunctionName>/function.json per declaration in functions/AstraTrade.Functions/Hosting/AppFunctions.cs, generated
# by the app itself (--write-function-json). Never edit the generated function.json files; change the declarations.
#
#   scripts/publish-functions.sh [output directory]     (default: artifacts/functions)
#
# Self-contained linux-x64 when the runtime packs restore; otherwise framework-dependent (the executable then needs
# the .NET 10 ASP.NET Core runtime on the machine), and the script says so. PUBLISH_MODE=framework-dependent skips
# the self-contained attempt.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/artifacts/functions}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
project="$root/functions/AstraTrade.Functions"
exe="AstraTrade.Functions"

# Start from an empty folder so no function.json of a removed declaration survives; but only empty a folder that is
# empty or a previous output (it has host.json and no .git), never an arbitrary one given by mistake.
if [[ -n "$(ls -A "$out")" ]] && { [[ ! -f "$out/host.json" ]] || [[ -e "$out/.git" ]]; }; then
  echo "publish-functions: $out is not empty and not a previous output; give an empty or new folder." >&2
  exit 1
fi
find "$out" -mindepth 1 -delete

mode="${PUBLISH_MODE:-self-contained}"
if [[ "$mode" == "self-contained" ]]; then
  if ! dotnet publish "$project" -c Release -r linux-x64 --self-contained -o "$out" -nologo; then
    echo "publish-functions: the self-contained linux-x64 publish failed (runtime packs not restorable?);" \
         "falling back to framework-dependent." >&2
    find "$out" -mindepth 1 -delete
    mode="framework-dependent"
  fi
fi
if [[ "$mode" == "framework-dependent" ]]; then
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -o "$out" -nologo
fi

if [[ ! -x "$out/$exe" ]]; then
  echo "publish-functions: $out/$exe is missing; host.json's defaultExecutablePath would point at nothing." >&2
  exit 1
fi
if ! grep -q "\"defaultExecutablePath\": \"$exe\"" "$root/host.json"; then
  echo "publish-functions: host.json's defaultExecutablePath is not $exe." >&2
  exit 1
fi

cp "$root/host.json" "$out/host.json"
"$out/$exe" --write-function-json "$out"

echo "publish-functions: $mode build in $out ($(find "$out" -name function.json | wc -l) functions)."
