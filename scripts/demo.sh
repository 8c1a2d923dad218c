#!/usr/bin/env bash
# `make demo`: our webrtc-peer (release build) connects to a real peer — aiortc, a Python WebRTC
# stack — over loopback inside a private network namespace, runs the echo and bulk scenarios of
# docs/INTEROP.md, and tells what happened: states as they change, the selected
# candidate pair, DTLS role and cipher, SCTP max message size, echo RTT and bulk throughput.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ours="$repo/.build/release/webrtc-peer"
aiortc="$repo/.venv/bin/python $repo/Tests/Interop/peers/aiortc_peer.py"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
account() {  # our peer's log lines, without the signaling JSON
  grep -h '\[offerer\] \[webrtc-peer' "$logs"/*"$1"*.log | sed -E 's/^ *[0-9.]+ \[offerer\] \[webrtc-peer (\+[0-9]+ms)\]/  \1/'
}
run() {  # scenario, extra harness args
  local scenario=$1; shift
  python3 "$repo/Tests/Interop/harness.py" --offerer "$ours" --answerer "$aiortc" \
    --scenario "$scenario" --timeout 60 --log-dir "$logs" "$@" > "$logs/result-$scenario.json"
}
echo "== swift-webrtc demo: our peer (offerer) ↔ aiortc (answerer), loopback-only network namespace"
echo
echo "-- echo: 200 messages one at a time, text and binary, 1 B … 256 KiB (up to the max-message-size aiortc advertises)"
run echo
account echo
python3 - "$logs/result-echo.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if not r.get("ok"): sys.exit(f"echo failed: {r}")
print(f"  => ok: channel open {r['setup_ms']} ms after process start, echo RTT median {r['rtt_ms_median']} ms")
PY
echo
echo "-- bulk: 32 MiB of random binary in 64 KiB messages, SHA-256 checked by the receiver"
run bulk --bytes 33554432
python3 - "$logs/result-bulk.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if not r.get("ok"): sys.exit(f"bulk failed: {r}")
print(f"  => ok: {r['bytes']} bytes in {r['seconds']:.2f} s = {r['mbps']:.1f} MB/s (aiortc's Python receiver is the bottleneck; see BENCHMARKS.md)")
PY
echo
echo "demo: done"
