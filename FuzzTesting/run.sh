#!/usr/bin/env bash
# Builds the libFuzzer targets (release, -sanitize=fuzzer,address) and runs each for a bounded
# time with a corpus seeded from FuzzTesting/seeds/<parser>, Tests/Fixtures/fuzz-regressions/<parser>
# and (for SDP) Tests/Fixtures/sdp. Fails on the first crash, leak, timeout or violated property,
# leaving the input in $FUZZ_WORK/artifacts/<target>/ and saying where to copy it.
#
#   FuzzTesting/run.sh [seconds-per-target] [target ...]      (default 20 s, every target)
#   FUZZ_WORK=/some/dir keeps corpora between runs (default: a fresh temporary directory).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds="${1:-20}"
shift || true
all_targets=(fuzz-sdp fuzz-candidate fuzz-stun fuzz-channeldata fuzz-dcep fuzz-rtp fuzz-rtcp fuzz-srtp fuzz-depacketize)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

swift build -c release --package-path "$here" -Xswiftc -sanitize=fuzzer,address
bin="$(swift build -c release --package-path "$here" --show-bin-path)"
work="${FUZZ_WORK:-$(mktemp -d -t webrtc-fuzz.XXXXXX)}"
echo "fuzz work directory: $work"

# The Swift runtime backtracer reads the stack in a way ASan reports as an underflow; libFuzzer
# prints its own stack, so turn it off.
export SWIFT_BACKTRACE=enable=no

status=0
for t in "${targets[@]}"; do
  parser="${t#fuzz-}"
  corpus="$work/corpus/$parser"
  artifacts="$work/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  for src in "$here/seeds/$parser" "$root/Tests/Fixtures/fuzz-regressions/$parser"; do
    if [ -d "$src" ]; then find "$src" -maxdepth 1 -type f ! -name '*.md' -exec cp {} "$corpus/" \; ; fi
  done
  max_len=4096
  if [ "$parser" = sdp ]; then
    cp "$root"/Tests/Fixtures/sdp/*.sdp "$corpus/"
    max_len=16384
  fi
  if [ "$parser" = candidate ]; then
    # Every a=candidate line of the SDP fixtures, one file each, without the "a=" prefix.
    i=0
    while IFS= read -r line; do
      i=$((i + 1)); printf '%s' "${line#a=}" > "$corpus/fixture-$i"
    done < <(grep -h '^a=candidate:' "$root"/Tests/Fixtures/sdp/*.sdp | tr -d '\r')
  fi
  log="$work/$t.log"
  echo "== $t: ${seconds}s, corpus $(ls "$corpus" | wc -l) files"
  if "$bin/$t" -max_total_time="$seconds" -max_len="$max_len" -timeout=5 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1; then
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)"
    echo "   ok: $execs inputs, $cov"
  else
    status=1
    echo "   FAILED — last lines of $log:"
    tail -40 "$log"
    echo "   crash inputs (copy them to Tests/Fixtures/fuzz-regressions/$parser/):"
    ls -1 "$artifacts"
  fi
done
exit $status
