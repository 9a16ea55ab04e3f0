#!/usr/bin/env bash
# Provisions what native WebGPU needs on a fresh Debian 12 machine, idempotently:
#  1. Dawn (libwebgpu_wrapper.so from the npm package bun-webgpu-linux-x64@0.1.7) into .native/
#  2. a software Vulkan driver that Dawn accepts (Mesa 25 lavapipe from bookworm-backports),
#     unless a Vulkan driver other than Debian 12's rejected lavapipe is already present.
# Fast when already done: each step checks first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
native="$root/.native"
lib="$native/libwebgpu_wrapper.so"

if [ ! -s "$lib" ]; then
  echo "setup: fetching Dawn (npm bun-webgpu-linux-x64@0.1.7)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent bun-webgpu-linux-x64@0.1.7 >/dev/null && tar -xzf bun-webgpu-linux-x64-0.1.7.tgz package/libwebgpu_wrapper.so)
  mkdir -p "$native"
  mv "$tmp/package/libwebgpu_wrapper.so" "$lib.partial" && mv "$lib.partial" "$lib"
  rm -rf "$tmp"
fi

lavapipe_version() {
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true
}
ver=$(lavapipe_version)
case "$ver" in
  25.*|26.*|27.*) ;;
  *)
    echo "setup: installing Mesa 25 lavapipe from bookworm-backports (found: '${ver:-none}')"
    src=/etc/apt/sources.list.d/debian.sources
    if [ -f "$src" ] && ! grep -q 'bookworm-backports' "$src"; then
      sed -i '0,/^Suites: bookworm bookworm-updates$/s//Suites: bookworm bookworm-updates bookworm-backports/' "$src"
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
    ;;
esac
echo "setup: native WebGPU ready ($lib, mesa-vulkan-drivers $(lavapipe_version))"
