# swift-webrtc — see README.md. `make demo` and `make test` work from a fresh clone.
SWIFT ?= swift
.PHONY: deps build test test-swift interop demo bench fuzz clean

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2
	@echo "make test: all suites passed"

demo: deps
	$(SWIFT) build -c release --product webrtc-demo
	.build/release/webrtc-demo

clean:
	rm -rf .build
