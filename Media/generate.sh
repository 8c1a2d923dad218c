#!/usr/bin/env bash
# Regenerates the test media in this directory with Debian 12's ffmpeg (apt-get install ffmpeg).
# The outputs are committed; CI does not run this. Encoders are not bit-exact across versions, so
# a rerun may produce different bytes (tests check structure, counts and keyframes, not hashes).
set -euo pipefail
cd "$(dirname "$0")"
src=(-f lavfi -i "testsrc2=size=320x240:rate=30:duration=2")
common=(-hide_banner -loglevel error -y -pix_fmt yuv420p -g 30 -keyint_min 30 -threads 1)

ffmpeg "${src[@]}" "${common[@]}" -c:v libvpx -b:v 400k -auto-alt-ref 0 -f ivf vp8.ivf
ffmpeg "${src[@]}" "${common[@]}" -c:v libvpx-vp9 -b:v 400k -auto-alt-ref 0 -lag-in-frames 0 -f ivf vp9.ivf
ffmpeg "${src[@]}" "${common[@]}" -c:v libaom-av1 -b:v 400k -cpu-used 8 -lag-in-frames 0 -usage realtime -f ivf av1.ivf
ffmpeg "${src[@]}" "${common[@]}" -c:v libx264 -profile:v baseline -preset veryfast -b:v 400k -bf 0 \
  -x264-params scenecut=0 -f h264 h264.h264
ffmpeg -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=2" -hide_banner -loglevel error -y \
  -c:a libopus -b:a 32k -frame_duration 20 -ac 1 -f ogg opus.ogg
