#!/bin/sh
# SRTP micro-benchmark: Swift SRTPSession (release build) next to a plain C loop over libsrtp2.
# Both measure thread CPU time (the build machine is shared), keep the best of R rounds, and are
# run alternately P times; the best figure of each is reported.
# Usage: Benchmarks/srtp/run.sh [packets-per-round] [rounds] [passes]   (defaults 100000 3 3)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-100000}
R=${2:-3}
P=${3:-3}
mkdir -p .build
cc -O2 -o .build/bench-srtp-c Benchmarks/srtp/bench.c $(pkg-config --cflags --libs libsrtp2)
swift build -c release --product webrtc-bench-srtp >/dev/null
BIN=$(swift build -c release --show-bin-path)/webrtc-bench-srtp
OUT=""
i=0
while [ "$i" -lt "$P" ]; do
  OUT="$OUT
$(.build/bench-srtp-c "$N" "$R")
$("$BIN" "$N" "$R")"
  i=$((i + 1))
done
printf "%-18s %-10s %14s %14s %8s\n" "profile" "op" "C pkt/s" "Swift pkt/s" "Swift/C"
echo "$OUT" | awk '
  NF == 4 { key = $1" "$2" "$3; if ($4 > v[key]) v[key] = $4; k[$2" "$3] = 1 }
  END {
    for (key in k) {
      split(key, a, " ")
      c = v["c " key]; s = v["swift " key]
      printf "%-18s %-10s %14d %14d %7.1f%%\n", a[1], a[2], c, s, 100 * s / c
    }
  }' | sort
