#!/usr/bin/env bash
# The EfficientNet demo: classifies the sample image on the native WebGPU adapter (Dawn), after
# provisioning Dawn and a software Vulkan driver when missing (idempotent, fast when done).
# Usage: scripts/demo.sh [IMAGE] [WEIGHTS(.pth|.safetensors)]
#   Without WEIGHTS the network runs on deterministic random weights (the classes are then
#   meaningless); with torchvision's efficientnet_b0_rwightman-7f5810bc.pth they are real.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup-native.sh
export KERNELGEN_WEBGPU_LIB="${KERNELGEN_WEBGPU_LIB:-$root/.native/libwebgpu_wrapper.so}"
dotnet build Samples.EfficientNet/Samples.EfficientNet.csproj -c Release -nologo -v:q
app=Samples.EfficientNet/bin/Release/net10.0/efficientnet.dll
image=${1:-Samples.EfficientNet/Assets/demo.jpg}
args=(classify --image "$image" --top 5)
[ $# -ge 2 ] && args+=(--weights "$2")
dotnet "$app" "${args[@]}"
