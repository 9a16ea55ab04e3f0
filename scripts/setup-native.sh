#!/usr/bin/env bash
# Provisions what native WebGPU needs on a fresh Debian 12 machine, idempotently:
#  1. Dawn for every runtime identifier the package ships (linux-x64, win-x64, osx-arm64, osx-x64) from the
#     npm packages pinned in build/KernelGen.Dawn.props (exact versions, SHA-256 of each tarball and library),
#     into .native/ (linux-x64 at .native/libwebgpu_wrapper.so, the others in .native/<rid>/);
#  2. a software Vulkan driver that Dawn accepts (Mesa 25 lavapipe from bookworm-backports),
#     unless a Vulkan driver other than Debian 12's rejected lavapipe is already present.
# Fast when already done: each step checks first (a present library is checked against its pin).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
native="$root/.native"
lib="$native/libwebgpu_wrapper.so"
pins="$root/build/KernelGen.Dawn.props"

attr() { sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p" <<<"$2"; }
sha256() { sha256sum "$1" | cut -d' ' -f1; }

fetch_dawn() { # one line of the pins file
  local line=$1 rid package version tarball_sha file sha path dest tmp tgz
  rid=$(attr Include "$line"); package=$(attr Package "$line"); version=$(attr Version "$line")
  tarball_sha=$(attr TarballSha256 "$line"); file=$(attr File "$line"); sha=$(attr Sha256 "$line"); path=$(attr Path "$line")
  if [ -z "$rid" ] || [ -z "$package" ] || [ -z "$version" ] || [ -z "$tarball_sha" ] || [ -z "$file" ] || [ -z "$sha" ] || [ -z "$path" ]; then
    echo "setup: cannot read a pin in $pins: $line" >&2; exit 1
  fi
  dest="$native/$path"
  if [ -s "$dest" ]; then
    [ "$(sha256 "$dest")" = "$sha" ] && return 0
    echo "setup: $dest does not match its SHA-256 pin ($sha): fetching it again"
  fi
  echo "setup: fetching Dawn for $rid (npm $package@$version)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null)
  tgz="$tmp/$package-$version.tgz"
  if [ "$(sha256 "$tgz")" != "$tarball_sha" ]; then
    echo "setup: $package-$version.tgz has SHA-256 $(sha256 "$tgz"), the pin in build/KernelGen.Dawn.props says $tarball_sha: refusing it" >&2
    rm -rf "$tmp"; exit 1
  fi
  tar -xzf "$tgz" -C "$tmp" "package/$file"
  if [ "$(sha256 "$tmp/package/$file")" != "$sha" ]; then
    echo "setup: $file from $package@$version does not match its SHA-256 pin $sha: refusing it" >&2
    rm -rf "$tmp"; exit 1
  fi
  mkdir -p "$(dirname "$dest")"
  mv "$tmp/package/$file" "$dest.partial" && mv "$dest.partial" "$dest"
  rm -rf "$tmp"
}

lines=$(grep -o '<KernelGenDawnNative [^>]*/>' "$pins")
[ "$(wc -l <<<"$lines")" -eq 4 ] || { echo "setup: expected four Dawn pins in $pins" >&2; exit 1; }
while IFS= read -r line; do fetch_dawn "$line"; done <<<"$lines"

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
echo "setup: native WebGPU ready (Dawn for linux-x64, win-x64, osx-arm64, osx-x64 in $native; mesa-vulkan-drivers $(lavapipe_version))"
