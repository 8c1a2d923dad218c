#!/usr/bin/env bash
# Builds Benchmarks/pion-peer/pion-peer offline against Debian's pion v3
# (golang-github-pion-webrtc.v3-dev 3.1.x in /usr/share/gocode), GOPATH mode. Debian installs
# webrtc v3 at github.com/pion/webrtc (no v3 directory, unlike dtls/v2, ice/v2 …) and GOPATH
# mode does not drop the /v3 for us, so a private GOPATH gets a github.com/pion/webrtc/v3 link.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/.gopath/src/github.com/pion/webrtc" "$here/.gocache"
ln -sfn /usr/share/gocode/src/github.com/pion/webrtc "$here/.gopath/src/github.com/pion/webrtc/v3"
cd "$here"
GO111MODULE=off GOPATH="/usr/share/gocode:$here/.gopath" GOCACHE="$here/.gocache" \
  go build -o "$here/pion-peer" .
echo "built $here/pion-peer" >&2
