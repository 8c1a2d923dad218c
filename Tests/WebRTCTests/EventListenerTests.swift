import Testing
import WebRTC
import WebRTCTesting

/// webrtc-pc events as EventTarget listeners: several listeners per event.
@Suite struct EventListenerTests {
    @Test func everyStreamSubscriptionGetsEveryEvent() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        let first = pc.signalingStateChanges, second = pc.signalingStateChanges
        let handlerSaw = Recorder<RTCSignalingState>()
        pc.onSignalingStateChange = { handlerSaw.record($0) }
        _ = try pc.createDataChannel("x")
        try await pc.setLocalDescription()
        var i1 = first.makeAsyncIterator(), i2 = second.makeAsyncIterator()
        #expect(await i1.next() == .haveLocalOffer)
        #expect(await i2.next() == .haveLocalOffer)
        #expect(handlerSaw.values == [.haveLocalOffer], "the handler property still works beside the streams")
    }
}
