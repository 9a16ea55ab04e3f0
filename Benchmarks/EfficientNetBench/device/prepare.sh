#!/bin/bash
# Builds the folder that the GPU machine run needs (no .NET, no registry there): a self-contained
# linux-x64 publish of EfficientNetBench (xz-compressed, ONNX Runtime and SkiaSharp natives dropped:
# the GPU run uses --no-ort), Dawn, the Vulkan loader and glvnd .debs, the fixture files, the PyTorch
# peer script and run.sh. Usage: prepare.sh DEST_DIR (e.g. <lead checkout>/.device, git-ignored), ~44 MB.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
dest=${1:?destination folder}
fixture=${FIXTURE:-$repo/../shared/fixtures/efficientnet_b0}
mkdir -p "$dest"
pub=$(mktemp -d)/perf-publish
dotnet publish "$repo/Benchmarks/EfficientNetBench/EfficientNetBench.csproj" -c Release -r linux-x64 --self-contained -p:PublishTrimmed=false -o "$pub"
rm -f "$pub"/onnxruntime.dll "$pub"/libonnxruntime*.so "$pub"/libSkiaSharp.so "$pub"/libwebgpu_wrapper.so
tar -cJf "$dest/bench.tar.xz" -C "$(dirname "$pub")" perf-publish
rm -rf "$dest/overlay"; mkdir -p "$dest/overlay"   # run.sh copies overlay/*.dll over the publish (quick rebuilds without re-compressing)
xz -T2 -6 -c "$repo/.native/libwebgpu_wrapper.so" > "$dest/libwebgpu_wrapper.so.xz"
cp "$fixture/weights.f16.safetensors" "$fixture/reference_io.safetensors" "$dest/"
cp "$repo/Benchmarks/EfficientNetBench/torch_peers.py" "$repo/Benchmarks/EfficientNetBench/device/run.sh" "$dest/"
gcc -O1 -Wall -o "$dest/subgroup_matrix_probe" "$repo/Benchmarks/EfficientNetBench/device/subgroup_matrix_probe.c" -ldl
lists=$(mktemp -d); mkdir -p "$lists/partial"
o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
apt-get $o update >/dev/null
(cd "$dest" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
du -sh "$dest"
