#!/usr/bin/env bash
# `make bench`: every benchmark of BENCHMARKS.md in one invocation (not part of `make test`).
#  1. PROTOCOL.md scenarios, each stack against itself — ours, aiortc, pion, Chromium — interleaved
#     run by run, inside a private loopback-only network namespace (Benchmarks/bench.py);
#  2. in-process benchmarks and scale (webrtc-bench), when built;
#  3. SRTP protect/unprotect next to a plain C loop over libsrtp2 (Benchmarks/srtp/run.sh).
# RUNS (default 5) and BENCH_BYTES (default 64 MiB) shorten a run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
swift build -c release --product webrtc-peer
swift build -c release --product webrtc-bench 2>/dev/null || echo "bench: webrtc-bench not available" >&2
[ -x Benchmarks/pion-peer/pion-peer ] || Benchmarks/pion-peer/build.sh
mkdir -p .bench-out
echo "== machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1048576)}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1. PROTOCOL.md scenarios, stacks against themselves"
WEBRTC_PEER="$repo/.build/release/webrtc-peer" python3 Benchmarks/bench.py \
  --stacks ours,aiortc,pion,chromium --runs "${RUNS:-5}" --bytes "${BENCH_BYTES:-67108864}" \
  --json .bench-out/protocol.json || echo "bench: some protocol runs failed (see above)"
if [ -x .build/release/webrtc-bench ]; then
  echo "== 2. in-process benchmarks and scale"
  .build/release/webrtc-bench ${BENCH_QUICK:+--quick}
fi
echo "== 3. SRTP (libsrtp2 via WebRTCSRTP vs a plain C loop)"
Benchmarks/srtp/run.sh
