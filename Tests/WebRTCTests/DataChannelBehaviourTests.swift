import WebRTC
import WebRTCTesting
import XCTest

/// Ports of web-platform-tests webrtc/ data-channel assertions over real 127.0.0.1 sockets.
final class DataChannelBehaviourTests: XCTestCase {
    func testCreateDataChannelDefaultsAndErrors() async throws {
        let pc = try loopbackPC()
        defer { pc.close() }
        let ch = try pc.createDataChannel("defaults")
        XCTAssertTrue(ch.ordered)
        XCTAssertNil(ch.maxPacketLifeTime)
        XCTAssertNil(ch.maxRetransmits)
        XCTAssertEqual(ch.protocol, "")
        XCTAssertFalse(ch.negotiated)
        XCTAssertNil(ch.id)
        XCTAssertEqual(ch.readyState, .connecting)
        XCTAssertEqual(ch.bufferedAmount, 0)
        XCTAssertThrowsError(try ch.send("too early")) { XCTAssertEqual(($0 as? RTCError)?.name, .invalidStateError) }
        await assertRTCError(.typeError) { _ = try pc.createDataChannel("x", RTCDataChannelInit(maxPacketLifeTime: 1, maxRetransmits: 1)) }
        await assertRTCError(.typeError) { _ = try pc.createDataChannel(String(repeating: "a", count: 65_536)) }
        await assertRTCError(.typeError) { _ = try pc.createDataChannel("x", RTCDataChannelInit(protocol: String(repeating: "a", count: 65_536))) }
        await assertRTCError(.typeError) { _ = try pc.createDataChannel("x", RTCDataChannelInit(negotiated: true, id: 65_535)) }
        // WebIDL [EnforceRange] unsigned short: out of range is a TypeError (issue 11 item 5).
        await assertRTCError(.typeError) { _ = try pc.createDataChannel("x", RTCDataChannelInit(maxRetransmits: 70_000)) }
        await assertRTCError(.typeError) { _ = try pc.createDataChannel("x", RTCDataChannelInit(maxPacketLifeTime: -1)) }
        let limit = try pc.createDataChannel("limit", RTCDataChannelInit(maxRetransmits: 65_535))
        XCTAssertEqual(limit.maxRetransmits, 65_535)
        _ = try pc.createDataChannel("defaults")  // duplicate labels are allowed
        // The id of an in-band channel is the stack's to choose (DTLS role parity): ignored.
        let inBand = try pc.createDataChannel("in-band", RTCDataChannelInit(id: 3))
        XCTAssertNil(inBand.id)
        // A negotiated id in use is an OperationError, synchronously.
        _ = try pc.createDataChannel("n1", RTCDataChannelInit(negotiated: true, id: 7))
        await assertRTCError(.operationError) { _ = try pc.createDataChannel("n2", RTCDataChannelInit(negotiated: true, id: 7)) }
    }

    func testEchoTextBinaryEmptyAndSizes() async throws {
        let pair = try await PeerConnectionPair.connected(label: "echo")
        defer { pair.close() }
        XCTAssertEqual(pair.offerer.connectionState, .connected)
        XCTAssertEqual(pair.answererChannel.label, "echo")
        pair.answererChannel.onMessage = { [ch = pair.answererChannel] m in try? ch.send(m) }
        var replies = pair.offererChannel.messages.makeAsyncIterator()
        let max = Int(pair.offerer.sctp?.maxMessageSize ?? 65_536)
        XCTAssertEqual(max, 262_144)
        var messages: [RTCDataChannelMessage] = [.text(""), .binary(Data()), .text("héllo ✓"), .binary(Data([0, 1, 2, 255]))]
        var size = 1
        while size <= max { messages.append(.binary(Data(repeating: UInt8(size & 0xFF), count: size))); size *= 2 }
        for m in messages {
            try pair.offererChannel.send(m)
            let reply = await replies.next()
            XCTAssertEqual(reply, m)
        }
        XCTAssertThrowsError(try pair.offererChannel.send(Data(count: max + 1))) { XCTAssertEqual(($0 as? RTCError)?.name, .typeError) }
    }

    func testIdsFollowDTLSRoleAndDatachannelEventMatches() async throws {
        let opts = RTCDataChannelInit(ordered: false, maxRetransmits: 3, protocol: "chat")
        let pair = try await PeerConnectionPair.connected(label: "meta", options: opts)
        defer { pair.close() }
        let a = pair.offererChannel, b = pair.answererChannel
        XCTAssertEqual(a.id, b.id)
        // The answerer picks `active` (DTLS client), so the offerer is the DTLS server: odd ids.
        XCTAssertEqual(pair.offerer.dtls.role, .server)
        XCTAssertEqual((a.id ?? 0) % 2, 1)
        XCTAssertEqual(b.ordered, false)
        XCTAssertEqual(b.maxRetransmits, 3)
        XCTAssertEqual(b.protocol, "chat")
        XCTAssertEqual(b.readyState, .open)
        let fromAnswerer = try pair.answerer.createDataChannel("reverse")
        try await fromAnswerer.waitUntilOpen()
        XCTAssertEqual((fromAnswerer.id ?? 1) % 2, 0)
    }

    func testBufferedAmountRisesAndDrainsWithLowEvent() async throws {
        let pair = try await PeerConnectionPair.connected(label: "bulk")
        defer { pair.close() }
        let ch = pair.offererChannel
        ch.bufferedAmountLowThreshold = 1024
        let low = Recorder<Int>()
        ch.onBufferedAmountLow = { low.record(1) }
        let text = String(repeating: "x", count: 60_000)
        for _ in 0..<20 { try ch.send(text) }
        // send() counts synchronously; the connection's executor (another thread) may already
        // have handed the first messages to the network, so the total is at most 20 × 60,000.
        XCTAssertGreaterThan(ch.bufferedAmount, 0)
        XCTAssertLessThanOrEqual(ch.bufferedAmount, 20 * 60_000)
        let deadline = Date().addingTimeInterval(10)
        while ch.bufferedAmount > 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(ch.bufferedAmount, 0)
        XCTAssertGreaterThanOrEqual(low.values.count, 1)
    }

    func testClosingOrderOnBothSides() async throws {
        let pair = try await PeerConnectionPair.connected(label: "close")
        defer { pair.close() }
        let events = Recorder<String>()
        pair.answererChannel.onClosing = { events.record("closing") }
        pair.answererChannel.onClose = { events.record("close") }
        let localClose = Recorder<String>()
        pair.offererChannel.onClose = { localClose.record("close") }
        pair.offererChannel.close()
        XCTAssertEqual(pair.offererChannel.readyState, .closing)
        let deadline = Date().addingTimeInterval(5)
        while (events.values.count < 2 || localClose.values.isEmpty) && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(events.values, ["closing", "close"])
        XCTAssertEqual(localClose.values, ["close"])
        XCTAssertEqual(pair.answererChannel.readyState, .closed)
    }

    func testRemoteCloseOfConnectionClosesChannels() async throws {
        let pair = try await PeerConnectionPair.connected(label: "pcclose")
        let closed = Recorder<String>()
        pair.answererChannel.onClose = { closed.record("close") }
        pair.offerer.close()
        let deadline = Date().addingTimeInterval(5)
        while closed.values.isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(closed.values, ["close"])
        pair.answerer.close()
    }

    func testSixChannelTypesAndNegotiated() async throws {
        let pair = try await PeerConnectionPair.connected(label: "base")
        defer { pair.close() }
        let remote = Recorder<RTCDataChannel>()
        pair.answerer.onDataChannel = { remote.record($0) }
        let kinds: [RTCDataChannelInit] = [
            RTCDataChannelInit(), RTCDataChannelInit(ordered: false),
            RTCDataChannelInit(maxRetransmits: 0), RTCDataChannelInit(ordered: false, maxRetransmits: 65_535),
            RTCDataChannelInit(maxPacketLifeTime: 500), RTCDataChannelInit(ordered: false, maxPacketLifeTime: 0),
        ]
        var created: [RTCDataChannel] = []
        for (i, k) in kinds.enumerated() { created.append(try pair.offerer.createDataChannel("kind-\(i)", k)) }
        let negA = try pair.offerer.createDataChannel("neg", RTCDataChannelInit(negotiated: true, id: 900))
        let negB = try pair.answerer.createDataChannel("neg", RTCDataChannelInit(negotiated: true, id: 900))
        let deadline = Date().addingTimeInterval(5)
        while remote.values.count < kinds.count && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(remote.values.count, kinds.count, "negotiated channels never fire datachannel")
        for ch in created {
            guard let r = remote.values.first(where: { $0.label == ch.label }) else { XCTFail("missing \(ch.label)"); continue }
            XCTAssertEqual(r.ordered, ch.ordered)
            XCTAssertEqual(r.maxRetransmits, ch.maxRetransmits)
            XCTAssertEqual(r.maxPacketLifeTime, ch.maxPacketLifeTime)
            XCTAssertEqual(r.id, ch.id)
        }
        try await negA.waitUntilOpen()
        try await negB.waitUntilOpen()
        var it = negB.messages.makeAsyncIterator()
        try negA.send("over negotiated")
        let got = await it.next()
        XCTAssertEqual(got, .text("over negotiated"))
    }

    func testStatsReportHasTheMainObjects() async throws {
        let pair = try await PeerConnectionPair.connected(label: "stats")
        defer { pair.close() }
        let report = await pair.offerer.getStats()
        for type in ["peer-connection", "transport", "candidate-pair", "local-candidate", "remote-candidate", "certificate", "data-channel", "sctp-transport"] {
            XCTAssertFalse(report.all(ofType: type).isEmpty, type)
        }
    }
}
