#!/usr/bin/env bash
# Runs every test of the solution, after provisioning what the GPU and browser tests need
# (idempotent, fast when already done). This is what CI runs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup-native.sh
bash scripts/setup-browser.sh
bash scripts/setup-aot.sh
bash scripts/setup-wine.sh
export KERNELGEN_WEBGPU_LIB="${KERNELGEN_WEBGPU_LIB:-$root/.native/libwebgpu_wrapper.so}"
dotnet build KernelGen.sln -c Release -nologo -v:q
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test KernelGen.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test assemblies: "tests: N passed, N failed".
awk '/^(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit $status
