#!/usr/bin/env bash
# Builds the EfficientNet page (dotnet publish, Release) and serves it on http://127.0.0.1:PORT/.
#   bash scripts/serve-web.sh [--port 8080] [--weights path/to/weights.safetensors]
# With --weights, the file is served at /weights.safetensors (not copied) and the page loads it at start.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=8080
weights=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --weights) weights="$2"; shift 2 ;;
    *) echo "usage: $0 [--port N] [--weights FILE]" >&2; exit 2 ;;
  esac
done
out="$root/artifacts/web"
dotnet publish "$root/Samples.EfficientNet.Web/Samples.EfficientNet.Web.csproj" -c Release -o "$out" -nologo -v:q
site="$out/wwwroot"
extra=()
if [ -n "$weights" ]; then
  extra=(--file "/weights.safetensors=$(cd "$(dirname "$weights")" && pwd)/$(basename "$weights")")
  echo "Open http://127.0.0.1:$port/?weights=weights.safetensors"
else
  echo "Open http://127.0.0.1:$port/"
fi
exec python3 "$root/scripts/web-server.py" "$site" --port "$port" "${extra[@]}"
