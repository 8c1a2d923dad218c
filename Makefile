# swift-webrtc — see README.md. `make demo` and `make test` work from a fresh clone.
SWIFT ?= swift
.PHONY: deps build test test-swift interop demo bench fuzz clean

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build

# Every test: unit, simulation, loopback (XCTest + Swift Testing), then interop with real peers.
test: deps
	@scripts/check-standalone.sh
	@$(MAKE) --no-print-directory test-swift interop
	@echo "make test: all suites passed"

test-swift:
	$(SWIFT) build --build-tests
	# XCTest loopback suites first, alone (they count live connections), then Swift Testing.
	$(SWIFT) test --skip-build --disable-swift-testing
	$(SWIFT) test --skip-build --disable-xctest --skip WebRTCEngineTests
	# Virtual-time connections alone in their process: usrsctp's timer clock is process-wide.
	$(SWIFT) test --skip-build --disable-xctest --no-parallel --filter WebRTCEngineTests

# Our webrtc-peer against itself, aiortc and headless Chromium, both roles, every scenario,
# inside a private loopback-only network namespace (Tests/Interop/README.md).
interop:
	$(SWIFT) build --product webrtc-peer
	INTEROP_WITH_PION=1 scripts/interop.sh
	python3 Tests/Interop/matrix.py --pairs ours:ours,ours:aiortc,ours:chromium --relay-only-cases
	# docs/INTEROP.md sink: an answerer that never reads holds the sender back (bounded memory).
	python3 Tests/Interop/matrix.py --pairs ours:ours --one-way --scenarios sink --timeout 40

# Our peer against a real peer (aiortc) on loopback, with a readable account of what it did.
demo: deps
	$(SWIFT) build -c release --product webrtc-peer
	scripts/demo.sh

# Benchmarks (not part of `make test`); see BENCHMARKS.md.
bench: deps
	scripts/bench.sh

fuzz:
	$(SWIFT) build -c release --package-path FuzzTesting -Xswiftc -sanitize=fuzzer,address
	FuzzTesting/run.sh

clean:
	rm -rf .build .interop-out
