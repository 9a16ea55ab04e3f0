#!/usr/bin/env bash
# Packs the KernelGen package (runtime + generator as analyzer + Dawn for linux-x64, win-x64, osx-arm64 and osx-x64,
# pinned in build/KernelGen.Dawn.props) into artifacts/packages/.
# Usage: scripts/pack.sh [extra dotnet pack arguments, e.g. -p:VersionSuffix=preview.1]
# The version is <VersionPrefix>-dev.<commit height>.<short sha> (e.g. 0.1.0-dev.412.8123901a), so each
# commit packs a new version and no NuGet cache serves a stale copy; -p:VersionSuffix=... overrides it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out="$root/artifacts/packages"
mkdir -p "$out"
if sha=$(git -C "$root" rev-parse --short=8 HEAD 2>/dev/null); then
  # SemVer forbids a numeric identifier with a leading zero: an all-digit sha gets git describe's 'g'.
  [[ $sha =~ ^[0-9]+$ ]] && sha="g$sha"
  suffix="dev.$(git -C "$root" rev-list --count HEAD).$sha"
else
  suffix="dev.0.local"   # not a git checkout (e.g. a source tarball)
fi
dotnet pack Runtime/KernelGen.Runtime.csproj -c Release -o "$out" -nologo -v:q "-p:VersionSuffix=$suffix" "$@"
ls -l "$out"
