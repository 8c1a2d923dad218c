import Testing
import WebRTC

/// webrtc-pc §4.4.1.2 the operations chain (WPT RTCPeerConnection-operations.https.html).
@Suite struct OperationsChainTests {
    static let candidate = RTCIceCandidateInit(candidate: "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host", sdpMid: nil, sdpMLineIndex: 0)

    // Successive legacy calls, made without waiting, run in the order they were made: the
    // candidate finds the remote description, the answer finds the remote offer.
    @Test func legacyCallsRunInCallOrder() async throws {
        let offer = try await makeRemoteOffer()
        for _ in 0..<20 {
            let pc = try loopbackPC()
            defer { pc.close() }
            let order = Recorder<String>()
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                pc.setRemoteDescription(offer, { order.record("srd") }, { order.record("srd failed: \($0)") })
                pc.addIceCandidate(Self.candidate, { order.record("aic") }, { order.record("aic failed: \($0)") })
                pc.createAnswer({ _ in order.record("answer"); done.resume() }, { order.record("answer failed: \($0)"); done.resume() })
            }
            #expect(order.values == ["srd", "aic", "answer"])
        }
    }
}
