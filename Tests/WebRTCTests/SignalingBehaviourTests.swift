import WebRTC
import WebRTCTesting
import XCTest

/// Ports of web-platform-tests webrtc/ signaling assertions (TESTING.md A).
final class SignalingBehaviourTests: XCTestCase {
    func testSetRemoteOfferMovesToHaveRemoteOffer() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        let changes = Recorder<RTCSignalingState>()
        pc.onSignalingStateChange = { changes.record($0) }
        try await pc.setRemoteDescription(try await makeRemoteOffer())
        XCTAssertEqual(pc.signalingState, .haveRemoteOffer)
        XCTAssertNotNil(pc.pendingRemoteDescription)
        XCTAssertNil(pc.currentRemoteDescription)
        XCTAssertEqual(changes.values, [.haveRemoteOffer])
    }

    func testInvalidSDPGivesSyntaxErrorWithLine() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        let bad = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application notaport UDP/DTLS/SCTP webrtc-datachannel\r\n"
        let error = await assertRTCError(.operationError) {
            try await pc.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: bad))
        }
        XCTAssertEqual(error?.errorDetail, .sdpSyntaxError)
        XCTAssertEqual(error?.sdpLineNumber, 5)
        XCTAssertEqual(pc.signalingState, .stable)
    }

    func testRemoteOfferInHaveLocalOfferRollsBackImplicitly() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        _ = try pc.createDataChannel("a")
        try await pc.setLocalDescription()
        XCTAssertEqual(pc.signalingState, .haveLocalOffer)
        let changes = Recorder<RTCSignalingState>()
        pc.onSignalingStateChange = { changes.record($0) }
        try await pc.setRemoteDescription(try await makeRemoteOffer())
        XCTAssertEqual(changes.values, [.stable, .haveRemoteOffer])
        XCTAssertNil(pc.pendingLocalDescription)
    }

    func testSetLocalWithModifiedSDPIsInvalidModification() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        _ = try pc.createDataChannel("a")
        let offer = try await pc.createOffer()
        let modified = RTCSessionDescription(type: .offer, sdp: offer.sdp.replacingOccurrences(of: "a=max-message-size:262144", with: "a=max-message-size:1000"))
        await assertRTCError(.invalidModificationError) { try await pc.setLocalDescription(modified) }
        try await pc.setLocalDescription(offer)
        XCTAssertEqual(pc.signalingState, .haveLocalOffer)
    }

    func testWrongStateCallsAreInvalidState() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        await assertRTCError(.invalidStateError) { _ = try await pc.createAnswer() }
        await assertRTCError(.invalidStateError) {
            try await pc.setRemoteDescription(RTCSessionDescription(type: .answer, sdp: try await makeRemoteOffer().sdp))
        }
        await assertRTCError(.invalidStateError) { try await pc.setLocalDescription(RTCSessionDescription(type: .rollback)) }
    }

    func testAddIceCandidateRules() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        let candidate = "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host"
        await assertRTCError(.invalidStateError) { try await pc.addIceCandidate(RTCIceCandidateInit(candidate: candidate, sdpMid: "0")) }
        try await pc.setRemoteDescription(try await makeRemoteOffer())
        await assertRTCError(.typeError) { try await pc.addIceCandidate(RTCIceCandidateInit(candidate: candidate)) }
        await assertRTCError(.operationError) { try await pc.addIceCandidate(RTCIceCandidateInit(candidate: candidate, sdpMid: "nope")) }
        await assertRTCError(.operationError) { try await pc.addIceCandidate(RTCIceCandidateInit(candidate: candidate, sdpMLineIndex: 7)) }
        await assertRTCError(.operationError) {
            try await pc.addIceCandidate(RTCIceCandidateInit(candidate: candidate, sdpMid: "0", usernameFragment: "wrong"))
        }
        try await pc.addIceCandidate(RTCIceCandidateInit(candidate: candidate, sdpMid: "0"))
        XCTAssertTrue(pc.remoteDescription?.sdp.contains("a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host") == true)
        try await pc.addIceCandidate(RTCIceCandidateInit(candidate: "", sdpMid: "0"))
    }

    func testNegotiationNeededFiresOnceForFirstChannel() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        _ = try pc.createDataChannel("first")
        let count = Recorder<Int>()
        pc.onNegotiationNeeded = { count.record(1) }  // attached after: still sees the queued event
        _ = try pc.createDataChannel("second")
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(count.values.count, 1)
    }

    func testCloseMakesEverythingClosedWithoutEvents() async throws {
        let pc = try loopbackPC()
        XCTAssertEqual(pc.connectionState, .new)
        let events = Recorder<String>()
        pc.onConnectionStateChange = { events.record("connection \($0)") }
        pc.onSignalingStateChange = { events.record("signaling \($0)") }
        let ch = try pc.createDataChannel("c")
        pc.close()
        XCTAssertEqual(pc.signalingState, .closed)
        XCTAssertEqual(pc.connectionState, .closed)
        XCTAssertEqual(ch.readyState, .closed)
        pc.close()  // idempotent
        await assertRTCError(.invalidStateError) { _ = try await pc.createOffer() }
        await assertRTCError(.invalidStateError) { _ = try await pc.createAnswer() }
        await assertRTCError(.invalidStateError) { try await pc.setLocalDescription() }
        await assertRTCError(.invalidStateError) { try await pc.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: "v=0")) }
        await assertRTCError(.invalidStateError) { try await pc.addIceCandidate(RTCIceCandidateInit(candidate: "", sdpMid: "0")) }
        await assertRTCError(.invalidStateError) { _ = try pc.createDataChannel("late") }
        XCTAssertThrowsError(try pc.setConfiguration(RTCConfiguration()))
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(events.values, [])
    }

    func testConfigurationRules() async throws {
        XCTAssertThrowsError(try RTCPeerConnection(configuration: RTCConfiguration(iceServers: [RTCIceServer(urls: ["http://x"])])))
        XCTAssertThrowsError(try RTCPeerConnection(configuration: RTCConfiguration(iceServers: [RTCIceServer(urls: ["turn:127.0.0.1:3478"])])))
        let pc = try loopbackPC()
        defer { pc.close() }
        var c = pc.getConfiguration()
        c.bundlePolicy = .maxCompat
        XCTAssertThrowsError(try pc.setConfiguration(c)) { XCTAssertEqual(($0 as? RTCError)?.name, .invalidModificationError) }
        var ok = pc.getConfiguration()
        ok.iceServers = [RTCIceServer(urls: ["stun:127.0.0.1:3478"])]
        XCTAssertNoThrow(try pc.setConfiguration(ok))
        XCTAssertEqual(pc.getConfiguration().iceServers.count, 1)
    }

    func testCertificatePEMRoundTrip() throws {
        let cert = try RTCCertificate.generate()
        let again = try RTCCertificate(pem: cert.pem())
        XCTAssertEqual(cert.getFingerprints(), again.getFingerprints())
        XCTAssertEqual(cert.getFingerprints(all: true).count, 3)
        XCTAssertGreaterThan(cert.expires, Date().timeIntervalSince1970 * 1000)
        XCTAssertThrowsError(try RTCCertificate(pem: "not pem"))
    }
}
