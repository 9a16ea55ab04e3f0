#!/usr/bin/env bash
# Publishes Samples.EfficientNet with NativeAOT (trimmed, linux-x64) into artifacts/aot/efficientnet/,
# fails on any trimming/AOT warning, then classifies Samples.EfficientNet/Assets/demo.jpg with the native
# executable and, when the shared fixture is there, runs `verify` against PyTorch's logits.
# NativeAOT needs a C toolchain (clang, or gcc as the SDK's fallback) and zlib1g-dev: scripts/setup-aot.sh
# installs clang and zlib1g-dev with apt-get when they are missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out="$root/artifacts/aot/efficientnet"
log="$root/artifacts/aot/publish.log"
mkdir -p "$out"

bash scripts/setup-aot.sh
[ -f .native/libwebgpu_wrapper.so ] || bash scripts/setup-native.sh

start=$(date +%s)
dotnet publish Samples.EfficientNet/Samples.EfficientNet.csproj -c Release -r linux-x64 -o "$out" \
  -nologo -tl:off --disable-build-servers -p:TrimmerSingleWarn=false | tee "$log"
echo "publish-aot: published in $(( $(date +%s) - start )) s"
if grep -E "warning (IL|CS|NETSDK)[0-9]+" "$log" >/dev/null; then
  echo "publish-aot: trimming/AOT warnings (above); the AOT build must be warning-free" >&2
  exit 1
fi
bytes=$(stat -c %s "$out/efficientnet")
echo "publish-aot: $out/efficientnet is $(( bytes / 1024 )) KiB (native code; libwebgpu_wrapper.so and libSkiaSharp.so beside it)"

# The executable must find Dawn next to itself, not through the repository's test variable.
unset KERNELGEN_WEBGPU_LIB
fixture="$root/../shared/fixtures/efficientnet_b0"
weights=()
[ -f "$fixture/weights.f16.safetensors" ] && weights=(--weights "$fixture/weights.f16.safetensors")
"$out/efficientnet" classify --image Samples.EfficientNet/Assets/demo.jpg "${weights[@]}" --top 5
if [ -f "$fixture/reference_io.safetensors" ]; then
  "$out/efficientnet" verify --weights "$fixture/weights.f16.safetensors" --reference "$fixture/reference_io.safetensors"
else
  echo "publish-aot: $fixture not found; skipped verify"
fi
