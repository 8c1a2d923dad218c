import WebRTC
import WebRTCTesting
import XCTest

/// Renegotiation, restart, pranswer, glare and the SCTP transport object (TESTING.md A).
final class NegotiationTests: XCTestCase {
    func testSctpTransportAppearsWithDataSectionAndTakesRemoteMaxMessageSize() async throws {
        let a = try loopbackPC(), b = try loopbackPC()
        defer { a.close(); b.close() }
        XCTAssertNil(a.sctp)
        _ = try a.createDataChannel("x")
        let offer = try await a.createOffer()
        // The remote advertises no max-message-size: 65,536 applies (RFC 8841 §6).
        let noSize = RTCSessionDescription(type: .offer, sdp: offer.sdp.replacingOccurrences(of: "a=max-message-size:262144\r\n", with: ""))
        try await b.setRemoteDescription(noSize)
        try await b.setLocalDescription()
        XCTAssertNotNil(b.sctp)
        XCTAssertEqual(b.sctp?.state, .connecting)
        XCTAssertEqual(b.sctp?.maxMessageSize, 65_536)
        XCTAssertTrue(b.sctp?.transport === b.dtls)

        let c = try loopbackPC()
        defer { c.close() }
        let unlimited = RTCSessionDescription(type: .offer, sdp: offer.sdp.replacingOccurrences(of: "a=max-message-size:262144", with: "a=max-message-size:0"))
        try await c.setRemoteDescription(unlimited)
        try await c.setLocalDescription()
        XCTAssertEqual(c.sctp?.maxMessageSize, .infinity)
    }

    func testPranswerThenAnswer() async throws {
        let a = try loopbackPC(), b = try loopbackPC()
        defer { a.close(); b.close() }
        _ = try a.createDataChannel("x")
        try await a.setLocalDescription()
        try await b.setRemoteDescription(a.localDescription!)
        let answer = try await b.createAnswer()
        try await b.setLocalDescription(RTCSessionDescription(type: .pranswer, sdp: answer.sdp))
        XCTAssertEqual(b.signalingState, .haveLocalPranswer)
        try await a.setRemoteDescription(RTCSessionDescription(type: .pranswer, sdp: answer.sdp))
        XCTAssertEqual(a.signalingState, .haveRemotePranswer)
        try await b.setLocalDescription(answer)
        try await a.setRemoteDescription(answer)
        XCTAssertEqual(a.signalingState, .stable)
        XCTAssertEqual(b.signalingState, .stable)
        XCTAssertNotNil(a.currentRemoteDescription)
        XCTAssertNil(a.pendingRemoteDescription)
    }

    func testRemoteRollbackReturnsToStable() async throws {
        let b = try loopbackPC()
        defer { b.close() }
        try await b.setRemoteDescription(try await makeRemoteOffer())
        try await b.setRemoteDescription(RTCSessionDescription(type: .rollback))
        XCTAssertEqual(b.signalingState, .stable)
        XCTAssertNil(b.remoteDescription)
    }

    func testGlareResolvesByRollback() async throws {
        // Perfect negotiation: both sides offer; the polite side applies the remote offer (implicit
        // rollback) and answers; the channel of the impolite side opens.
        let impolite = try loopbackPC(), polite = try loopbackPC()
        defer { impolite.close(); polite.close() }
        PeerConnectionPair.link(impolite, polite)
        let remote = polite.dataChannels
        let ch = try impolite.createDataChannel("glare")
        _ = try polite.createDataChannel("mine")
        try await impolite.setLocalDescription()
        try await polite.setLocalDescription()
        XCTAssertEqual(polite.signalingState, .haveLocalOffer)
        try await polite.setRemoteDescription(impolite.localDescription!)
        XCTAssertEqual(polite.signalingState, .haveRemoteOffer)
        try await polite.setLocalDescription()
        try await impolite.setRemoteDescription(polite.localDescription!)
        try await withTimeout(.seconds(10)) { try await ch.waitUntilOpen() }
        let got: RTCDataChannel? = try await withTimeout(.seconds(5)) { for await c in remote where c.label == "glare" { return c }; return nil }
        XCTAssertEqual(got?.label, "glare")
    }

    func testRestartIceKeepsTheChannelWorking() async throws {
        let pair = try await PeerConnectionPair.connected(label: "restart")
        defer { pair.close() }
        let oldUfrag = pair.offerer.localDescription?.sdp.components(separatedBy: "a=ice-ufrag:").last?.prefix(8)
        let needed = Recorder<Int>()
        pair.offerer.onNegotiationNeeded = { needed.record(1) }
        pair.offerer.restartIce()
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(needed.values.count, 1)
        try await PeerConnectionPair.negotiate(offerer: pair.offerer, answerer: pair.answerer)
        let newUfrag = pair.offerer.localDescription?.sdp.components(separatedBy: "a=ice-ufrag:").last?.prefix(8)
        XCTAssertNotEqual(oldUfrag, newUfrag)
        var it = pair.answererChannel.messages.makeAsyncIterator()
        try pair.offererChannel.send("after restart")
        let m = await it.next()
        XCTAssertEqual(m, .text("after restart"))
        XCTAssertEqual(pair.offerer.connectionState, .connected)
    }

    func testFingerprintChangeWithoutRestartIsInvalidAccess() async throws {
        let pair = try await PeerConnectionPair.connected(label: "fp")
        defer { pair.close() }
        try await pair.offerer.setLocalDescription()
        let offer = pair.offerer.localDescription!
        try await pair.answerer.setRemoteDescription(offer)
        try await pair.answerer.setLocalDescription()
        let answer = pair.answerer.localDescription!.sdp
        guard let range = answer.range(of: "a=fingerprint:sha-256 ") else { return XCTFail("no fingerprint") }
        let other = try RTCCertificate.generate().getFingerprints()[0].value
        let lineEnd = try XCTUnwrap(answer[range.upperBound...].range(of: "\r\n")).lowerBound
        let changed = answer.replacingCharacters(in: range.upperBound..<lineEnd, with: other)
        await assertRTCError(.invalidAccessError) {
            try await pair.offerer.setRemoteDescription(RTCSessionDescription(type: .answer, sdp: changed))
        }
    }

    func testFingerprintMismatchFailsTheConnection() async throws {
        let a = try loopbackPC(), b = try loopbackPC()
        defer { a.close(); b.close() }
        PeerConnectionPair.link(a, b)
        let opened = Recorder<Int>()
        b.onDataChannel = { _ in opened.record(1) }
        _ = try a.createDataChannel("x")
        try await a.setLocalDescription()
        var offer = a.localDescription!.sdp
        let other = try RTCCertificate.generate().getFingerprints()[0].value
        let r = try XCTUnwrap(offer.range(of: "a=fingerprint:sha-256 "))
        offer.replaceSubrange(r.upperBound..<(try XCTUnwrap(offer[r.upperBound...].range(of: "\r\n")).lowerBound), with: other)
        try await b.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: offer))
        try await b.setLocalDescription()
        try await a.setRemoteDescription(b.localDescription!)
        let deadline = Date().addingTimeInterval(10)
        while b.connectionState != .failed && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // The checking side fails at once. The other side only gets b's alert in plaintext
        // (epoch 0), which it must not trust (RFC 6347 §4.1.2.7): it keeps the handshake going
        // until the DTLS handshake timeout, never connected.
        XCTAssertEqual(b.connectionState, .failed)
        XCTAssertNotEqual(a.connectionState, .connected)
        XCTAssertEqual(opened.values.count, 0)
    }
}
