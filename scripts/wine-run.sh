#!/usr/bin/env bash
# Windows for real, under Wine: packs KernelGen, publishes a win-x64 self-contained saxpy app and the
# EfficientNet sample from the package, and runs both under Debian's Wine with Dawn's Vulkan backend on Mesa
# lavapipe (through winevulkan); EfficientNet is checked against ../shared/fixtures/efficientnet_b0.
# The same tests run in scripts/test.sh (Packaging.Tests, WineTests); this runs only them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup-native.sh
bash scripts/setup-wine.sh
dotnet build Packaging.Tests -c Release -nologo -v:q
dotnet test Packaging.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~WineTests" --logger "console;verbosity=normal" "$@"
