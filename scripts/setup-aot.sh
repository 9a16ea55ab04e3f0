#!/usr/bin/env bash
# Provisions what NativeAOT publishing needs on a fresh Debian 12 machine, idempotently: a C compiler and
# linker driver (clang; gcc is the SDK's fallback) and zlib's headers (zlib1g-dev). The ILCompiler
# packages themselves come through NuGet restore. Fast when already done.
set -euo pipefail
if { command -v clang >/dev/null || command -v gcc >/dev/null; } && [ -e /usr/include/zlib.h ]; then
  exit 0
fi
echo "setup-aot: installing clang and zlib1g-dev (NativeAOT's native toolchain)"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
$sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
