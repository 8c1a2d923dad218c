#!/usr/bin/env bash
# The interop suite `make test` runs: real peers joined by Tests/Interop/harness.py inside a private
# loopback-only network namespace (see Tests/Interop/README.md). Runs the reference pairs
# (aiortc, Chromium) and, when .build/debug/webrtc-peer (or $WEBRTC_PEER) exists, our peer against
# itself and both of them in both roles. Environment: WEBRTC_PEER, INTEROP_SCENARIOS,
# INTEROP_BULK_BYTES, INTEROP_WITH_PION=1. Extra arguments go to matrix.py (e.g. --relay, --verbose).
# Exits non-zero if any required case fails.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ours=${WEBRTC_PEER:-$repo/.build/debug/webrtc-peer}
py=${PYTHON:-python3}
if [ ! -x "$repo/.venv/bin/python" ] || ! "$repo/.venv/bin/python" -c 'import aiortc' 2>/dev/null; then
  echo "interop: $repo/.venv has no aiortc; run scripts/deps.sh" >&2
  exit 2
fi
pairs="aiortc:aiortc,chromium:chromium,aiortc:chromium"
if [ -x "$ours" ]; then
  export WEBRTC_PEER="$ours"
  pairs="ours:ours,ours:aiortc,ours:chromium,$pairs"
else
  echo "interop: $ours not built; running the reference pairs only" >&2
fi
# pion (Benchmarks/pion-peer, built by its build.sh) joins only when asked: INTEROP_WITH_PION=1.
if [ "${INTEROP_WITH_PION:-0}" = 1 ]; then
  [ -x "$repo/Benchmarks/pion-peer/pion-peer" ] || "$repo/Benchmarks/pion-peer/build.sh"
  pairs="$pairs,pion:aiortc,pion:chromium"
  if [ -x "$ours" ]; then pairs="$pairs,ours:pion"; fi
fi
# The harness's own self-test first (fake peers, ~10 s): a broken harness fails fast.
"$py" "$repo/Tests/Interop/test_harness.py" 2>&1 | tail -n 3 >&2
[ "${PIPESTATUS[0]}" = 0 ] || { echo "interop: harness self-test failed" >&2; exit 1; }
exec "$py" "$repo/Tests/Interop/matrix.py" --pairs "$pairs" \
  --scenarios "${INTEROP_SCENARIOS:-echo,bulk,channels}" \
  --bulk-bytes "${INTEROP_BULK_BYTES:-8388608}" "$@"
