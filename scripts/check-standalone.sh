#!/bin/sh
# The repository stands on its own: no file may point into a sibling checkout (the old shared
# design-notes folder next to the repository) or at an absolute path of one machine (the work
# and root home folders). Prints every offending line and exits 1; instant, so `make test` runs
# it first. The patterns are written with brackets so that this file does not match itself.
set -eu
cd "$(dirname "$0")/.."
# Skipped: git metadata (a worktree's `.git` is a file holding an absolute path), build
# folders, the Python venv and git-ignored generated output (interop logs, bench output, the
# Go build cache and GOPATH of Benchmarks/pion-peer).
if hits=$(grep -rnI -e '\.\./shar[e]d' -e '/wor[k]/' -e '/roo[t]/' \
    --exclude-dir=.git --exclude=.git --exclude-dir='.build*' --exclude-dir=.venv \
    --exclude-dir=.interop-out --exclude-dir=.bench-out --exclude-dir=.gocache --exclude-dir=.gopath .); then
  echo "check-standalone: references outside the repository:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "check-standalone: ok"
