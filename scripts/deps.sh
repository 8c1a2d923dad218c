#!/usr/bin/env bash
# Installs what the build and the tests need, only when missing. Idempotent and quick when done.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
need=()
# golang + pion: the third reference peer (Benchmarks/pion-peer), built offline from Debian's packages.
for p in libssl-dev libsrtp2-dev libusrsctp-dev pkg-config coturn chromium iproute2 util-linux golang-go golang-github-pion-webrtc.v3-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "deps: installing ${need[*]}" >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
# Python venv with aiortc, the second real peer of the interop suite.
if ! "$here/.venv/bin/python" -c 'import aiortc' 2>/dev/null; then
  echo "deps: creating .venv with aiortc" >&2
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q --disable-pip-version-check 'aiortc==1.16.*' >&2 || "$here/.venv/bin/pip" install -q aiortc >&2
fi
