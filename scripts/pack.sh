#!/usr/bin/env bash
# Packs the KernelGen package (runtime + generator as analyzer + Dawn for linux-x64, win-x64, osx-arm64 and osx-x64,
# pinned in build/KernelGen.Dawn.props) into artifacts/packages/.
# Usage: scripts/pack.sh [extra dotnet pack arguments, e.g. -p:VersionSuffix=preview.1]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out="$root/artifacts/packages"
mkdir -p "$out"
dotnet pack Runtime/KernelGen.Runtime.csproj -c Release -o "$out" -nologo -v:q "$@"
ls -l "$out"
