#!/usr/bin/env bash
# Provisions what the Windows-under-Wine tests need on a fresh Debian 12 machine, idempotently:
# Debian's Wine 8 (wine, wine64: winevulkan passes Vulkan through to the host's driver, here Mesa lavapipe)
# and Xvfb (Wine's graphics driver, and with it winevulkan, needs an X display). Fast when already done.
set -euo pipefail
if [ -x /usr/lib/wine/wine64 ] && command -v xvfb-run >/dev/null 2>&1; then
  echo "setup: wine ready ($(/usr/lib/wine/wine64 --version 2>/dev/null || echo wine64))"
  exit 0
fi
echo "setup: installing Debian's wine64 and xvfb"
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
$sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine wine64 libwine xvfb xauth >/dev/null
echo "setup: wine ready ($(/usr/lib/wine/wine64 --version))"
