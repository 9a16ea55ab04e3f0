#!/usr/bin/env bash
# Provisions what the browser tests need on a fresh Debian machine, idempotently: Debian's chromium
# (WebGPU headless with --enable-unsafe-webgpu, SwiftShader adapter). Playwright for .NET drives it
# through its bundled node driver, so no browser download is needed. Fast when already done.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "setup: chromium present ($(/usr/bin/chromium --version 2>/dev/null | tail -1))"
  exit 0
fi
echo "setup: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=""
if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "setup: chromium installed ($(/usr/bin/chromium --version 2>/dev/null | tail -1))"
