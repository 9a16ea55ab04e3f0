#!/usr/bin/env bash
# Runs every test of the solution, after provisioning what the GPU tests need (idempotent).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup-native.sh
bash scripts/setup-browser.sh
export KERNELGEN_WEBGPU_LIB="${KERNELGEN_WEBGPU_LIB:-$root/.native/libwebgpu_wrapper.so}"
dotnet build KernelGen.sln -c Release -nologo -v:q
dotnet test KernelGen.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@"
