#!/usr/bin/env bash
# Installs the native peer allocators the bench can compare against (Debian/Ubuntu): mimalloc and jemalloc.
# `./hakmem compare --peers ffm-mimalloc,ffm-jemalloc` skips (and says how to install) any that is missing;
# nothing is ever faked. Needs root (or sudo).
set -euo pipefail
pkgs=(libmimalloc2.0 libjemalloc2)
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-peers: no apt-get here; install mimalloc 2.x (libmimalloc.so.2) and jemalloc 5.x (libjemalloc.so.2) with your package manager" >&2
    exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-peers: run as root (apt-get install ${pkgs[*]})" >&2; exit 1; }
    sudo=sudo
fi
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"
for lib in libmimalloc.so.2 libjemalloc.so.2; do
    if ldconfig -p | grep -q "$lib"; then echo "install-peers: $lib installed"; else echo "install-peers: $lib still missing" >&2; exit 1; fi
done
