#!/usr/bin/env bash
# The EfficientNet demo: classifies the sample image on the native WebGPU adapter (Dawn) with
# torchvision's ImageNet weights, after provisioning Dawn and a software Vulkan driver when missing
# (idempotent, fast when done).
# Usage: scripts/demo.sh [--offline] [IMAGE] [WEIGHTS(.pth|.safetensors)]
#   Without WEIGHTS it uses torchvision's efficientnet_b0_rwightman-7f5810bc.pth from the cache
#   (`efficientnet weights path`), downloading it once (21 MB, SHA-256 checked) when it is missing.
#   Without a network (or with --offline and nothing cached) it says so in one line and runs on
#   deterministic random weights, which every output line then marks as meaningless (exit code 3).
#   KERNELGEN_WEIGHTS_URL + KERNELGEN_WEIGHTS_SHA256 fetch from another address (a mirror).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
offline=0
if [ "${1:-}" = "--offline" ]; then offline=1; shift; fi
bash scripts/setup-native.sh
export KERNELGEN_WEBGPU_LIB="${KERNELGEN_WEBGPU_LIB:-$root/.native/libwebgpu_wrapper.so}"
dotnet build Samples.EfficientNet/Samples.EfficientNet.csproj -c Release -nologo -v:q
app=Samples.EfficientNet/bin/Release/net10.0/efficientnet.dll
url=${KERNELGEN_WEIGHTS_URL:-https://download.pytorch.org/models/efficientnet_b0_rwightman-7f5810bc.pth}
image=${1:-Samples.EfficientNet/Assets/demo.jpg}
args=(classify --image "$image" --top 5)
if [ $# -ge 2 ]; then
  args+=(--weights "$2")
elif [ $offline = 0 ]; then
  # Nothing to do when the cache already holds the verified file; else one download with progress.
  # The download's own error line is folded into the demo's one line below.
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! dotnet "$app" weights fetch 2> >(tee "$log" | grep --line-buffered -v '^error: ' >&2); then
    sleep 0.2   # let the tee above finish writing
    why=$(sed -n 's/^error: \([^;]*\).*/\1/p' "$log" | head -n 1)
    echo "demo: no torchvision weights (${why:-the download failed}): running on random weights, so the classes mean nothing; connect and run scripts/demo.sh again, or download $url elsewhere and run scripts/demo.sh $image FILE." >&2
  fi
fi
status=0
dotnet "$app" "${args[@]}" || status=$?
exit $status
