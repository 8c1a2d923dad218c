#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WebRTCCore

// webrtc-bench: in-process benchmarks (see Benchmarks/inprocess/README.md).
// Build and run in release mode:
//   swift build -c release --product webrtc-bench && .build/release/webrtc-bench --help

let options = Options.parseOrExit()
let reporter = Reporter(json: options.json)
let started = MonotonicClock.now()
reporter.header()

if options.wants("sctp-1k") { reporter.report(benchSCTP(name: "sctp-1k", size: 1024, options: options)) }
if options.wants("sctp-64k") { reporter.report(benchSCTP(name: "sctp-64k", size: 64 * 1024, options: options)) }
if options.wants("dtls-records") { reporter.report(benchDTLS(options: options)) }
if options.wants("sdp-chromium-datachannel") {
    reporter.report(benchSDP(name: "sdp-chromium-datachannel", fixture: "chromium-156-datachannel-offer.sdp", options: options))
}
if options.wants("sdp-chromium-audio-video") {
    reporter.report(benchSDP(name: "sdp-chromium-audio-video", fixture: "chromium-156-audio-video-offer.sdp", options: options))
}
if options.wants("stun-binding") { reporter.report(benchSTUN(options: options)) }
if options.wants("scale") {
    let sizes = options.scaleN ?? (options.quick ? [20, 100] : [100, 1000])
    for r in await benchScale(sizes: sizes, options: options) { reporter.report(r) }
}
if !options.json { print("total \(Int(secondsSince(started))) s; SRTP has its own benchmark: Benchmarks/srtp/run.sh") }
