#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import WebRTC
import WebRTCCore
import WebRTCICE
import WebRTCSCTP
import WebRTCSTUN
import WebRTCTesting

/// TESTING.md B.2, B.5, B.6, B.12, B.17: hostile input through the public API and real loopback
/// sockets, plus the framing edges at the engine level. Every random choice comes from a printed
/// seed (override with `ROBUSTNESS_SEED=<n>`).
@Suite(.serialized) struct RobustnessTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["ROBUSTNESS_SEED"].flatMap { UInt64($0) } ?? 0xB0B5_7E57

    // MARK: - B.2 SDP through the API

    /// Seeded mutations of real offers (ours and the captured fixtures) into
    /// `setRemoteDescription`, then `setLocalDescription()` when accepted: every call completes
    /// within 5 s; every rejection is an `RTCError`, a syntax error names a line of the input; the
    /// signaling state is `have-remote-offer` after an accepted offer, `stable` after a rejected
    /// one or an applied answer, `have-remote-offer` after a rejected answer; `close()` works.
    @Test func sdpMutationsThroughTheAPI() async throws {
        let seed = Self.seed
        print("RobustnessTests.sdpMutationsThroughTheAPI seed=\(seed)")
        var rng = SplitMix64(seed: seed)
        let bases = try await Self.offerCorpus()
        #expect(bases.count >= 10, "offer corpus: \(bases.count)")
        var inputs = bases
        for i in 0..<1000 { inputs.append(SDPMutator.mutate(bases[i % bases.count], rng: &rng)) }

        var accepted = 0, answered = 0, syntaxErrors = 0, otherErrors = 0
        var errorNames: [String: Int] = [:]
        for (index, sdp) in inputs.enumerated() {
            let pc = try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
            let lineCount = sdp.utf8.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            let srd = await outcome(of: { try await pc.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: sdp)) })
            switch srd {
            case .hang:
                Issue.record("input \(index): setRemoteDescription did not complete\n\(sdp)")
            case .nonRTCError(let e):
                Issue.record("input \(index): setRemoteDescription threw a non-RTCError \(e)")
            case .rejected(let e):
                errorNames["\(e.name)/\(e.errorDetail?.rawValue ?? "-")", default: 0] += 1
                if e.errorDetail == .sdpSyntaxError {
                    syntaxErrors += 1
                    let line = e.sdpLineNumber ?? -1
                    #expect((1...lineCount).contains(line), "input \(index): sdpLineNumber \(line) outside 1...\(lineCount): \(e)")
                } else {
                    otherErrors += 1
                }
                #expect(pc.signalingState == .stable, "input \(index): state \(pc.signalingState) after a rejected offer")
                #expect(pc.remoteDescription == nil, "input \(index): a rejected offer was kept")
            case .ok:
                accepted += 1
                #expect(pc.signalingState == .haveRemoteOffer, "input \(index): state \(pc.signalingState) after an accepted offer")
                switch await outcome(of: { try await pc.setLocalDescription() }) {
                case .hang: Issue.record("input \(index): setLocalDescription did not complete\n\(sdp)")
                case .nonRTCError(let e): Issue.record("input \(index): setLocalDescription threw a non-RTCError \(e)")
                case .rejected:
                    #expect(pc.signalingState == .haveRemoteOffer, "input \(index): state \(pc.signalingState) after a rejected answer")
                case .ok:
                    answered += 1
                    #expect(pc.signalingState == .stable, "input \(index): state \(pc.signalingState) after the answer")
                    #expect(pc.localDescription?.type == .answer)
                }
            }
            pc.close()
            #expect(pc.signalingState == .closed && pc.connectionState == .closed, "input \(index): close()")
        }
        print("RobustnessTests.sdpMutationsThroughTheAPI inputs=\(inputs.count) accepted=\(accepted) answered=\(answered) syntaxErrors=\(syntaxErrors) otherErrors=\(otherErrors) \(errorNames.sorted { $0.key < $1.key })")
        #expect(accepted >= bases.count / 2, "most unmutated offers should be accepted (\(accepted))")
        #expect(syntaxErrors > 0 && accepted > 0, "the mutator should produce both outcomes")
    }

    /// Our own offers (without and with candidates) and every fixture that is an offer.
    static func offerCorpus() async throws -> [String] {
        var out: [String] = []
        let pc = try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
        _ = try pc.createDataChannel("fuzz", RTCDataChannelInit(ordered: false, maxRetransmits: 2, protocol: "p"))
        out.append(try await pc.createOffer().sdp)
        try await pc.setLocalDescription()
        for _ in 0..<200 where pc.iceGatheringState != .complete { try await Task.sleep(for: .milliseconds(10)) }
        if let withCandidates = pc.localDescription?.sdp { out.append(withCandidates) }
        pc.close()
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sdp")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".sdp") {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            if text.contains("a=setup:actpass") { out.append(text) }  // offers only (RFC 8842 §5.2)
        }
        return out
    }

    // MARK: - B.6 raw datagram sweep

    /// Against a connected pair: datagrams from a stranger's UDP socket to the answerer's selected
    /// local port, every RFC 7983 first-byte range × 10 lengths. Afterwards the channel still echoes,
    /// both sides are still `connected`, and `droppedPackets` grew by at least the number of
    /// non-empty, non-STUN-range datagrams (each must be dropped as coming from an unknown source).
    @Test func rawDatagramSweepWhileConnected() async throws {
        print("RobustnessTests.rawDatagramSweepWhileConnected seed=\(Self.seed)")
        let pair = try await PeerConnectionPair.connected(label: "sweep")
        defer { pair.close() }
        let stats = await pair.answerer.getStats()
        let local = try #require(stats.all(ofType: "local-candidate").first, "no selected local candidate in stats")
        guard case .string(let address)? = local.values["address"], case .int(let port)? = local.values["port"] else {
            Issue.record("local-candidate without address/port: \(local)")
            return
        }
        let before = Self.droppedPackets(stats)
        let junkDelivered = Recorder<RTCDataChannelMessage>()
        pair.answererChannel.onMessage = { m in junkDelivered.record(m) }
        let remoteChannels = Recorder<String>()
        pair.answerer.onDataChannel = { ch in remoteChannels.record(ch.label) }
        var rng = SplitMix64(seed: Self.seed)
        let datagrams = Self.sweepDatagrams(rng: &rng)
        let stranger = try StrangerSocket(ipv6: address.contains(":"))
        defer { stranger.close() }
        try await stranger.send(datagrams, to: address, port: port)
        let mustDrop = datagrams.filter { !$0.isEmpty && !(0...3).contains($0[0]) }.count

        // Give the loop time to read everything, then check the counter.
        var after = before
        for _ in 0..<100 {
            after = Self.droppedPackets(await pair.answerer.getStats())
            if after - before >= mustDrop { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        print("RobustnessTests.rawDatagramSweepWhileConnected sent=\(datagrams.count) to=\(address):\(port) dropped=\(after - before) (at least \(mustDrop) expected)")
        #expect(after - before >= mustDrop, "droppedPackets grew by \(after - before), expected ≥ \(mustDrop)")
        #expect(junkDelivered.values.isEmpty && remoteChannels.values.isEmpty, "junk reached the application")
        #expect(pair.answerer.connectionState == .connected)
        #expect(pair.offerer.connectionState == .connected)
        try await Self.expectEcho(pair, count: 5)
        #expect(pair.answerer.connectionState == .connected)
    }

    /// The same sweep aimed at every port both sides trickle, during negotiation: after the
    /// offerer's setLocalDescription (gathering, no remote), after the answerer's (checking), and
    /// while ICE and DTLS connect. The pair still connects and echoes.
    @Test func rawDatagramSweepDuringTheHandshake() async throws {
        print("RobustnessTests.rawDatagramSweepDuringTheHandshake seed=\(Self.seed)")
        var rng = SplitMix64(seed: Self.seed ^ 0xD71)
        let datagrams = Self.sweepDatagrams(rng: &rng)
        let a = try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
        let b = try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
        defer { a.close(); b.close() }
        let portsA = Recorder<HostPort>(), portsB = Recorder<HostPort>()
        Self.link(a, b, recordA: portsA, recordB: portsB)
        let remote = b.dataChannels
        let channel = try a.createDataChannel("handshake")
        let stranger4 = try StrangerSocket(ipv6: false), stranger6 = try StrangerSocket(ipv6: true)
        defer { stranger4.close(); stranger6.close() }
        func blast(_ ports: [HostPort]) async throws {
            for p in Set(ports) { try await (p.host.contains(":") ? stranger6 : stranger4).send(datagrams, to: p.host, port: p.port) }
        }

        try await a.setLocalDescription()
        try await Self.waitFor { !portsA.values.isEmpty }
        try await blast(portsA.values)
        let offer = try #require(a.localDescription)
        try await b.setRemoteDescription(offer)
        try await b.setLocalDescription()
        try await Self.waitFor { !portsB.values.isEmpty }
        try await blast(portsB.values)
        let answer = try #require(b.localDescription)
        try await a.setRemoteDescription(answer)
        try await blast(portsA.values + portsB.values)  // ICE checks and the DTLS handshake are in flight
        let answererChannel: RTCDataChannel = try await withTimeout(.seconds(10)) {
            for await ch in remote { return ch }
            throw RTCError(.operationError, "no data channel")
        }
        try await withTimeout(.seconds(10)) {
            try await channel.waitUntilOpen()
            try await answererChannel.waitUntilOpen()
        }
        try await blast(portsA.values + portsB.values)
        #expect(a.connectionState == .connected && b.connectionState == .connected)
        let dropsA = Self.droppedPackets(await a.getStats()), dropsB = Self.droppedPackets(await b.getStats())
        print("RobustnessTests.rawDatagramSweepDuringTheHandshake portsA=\(portsA.values) portsB=\(portsB.values) droppedA=\(dropsA) droppedB=\(dropsB)")
        #expect(dropsA > 0 && dropsB > 0)
        try await Self.expectEcho(from: channel, via: answererChannel, count: 3)
    }

    /// One datagram per (first byte, length); first bytes cover every RFC 7983 range with its
    /// edges, and each datagram is shaped to get past the first check of its class (STUN cookie
    /// and length, DTLS record header, ChannelData length, RTP version 2).
    static func sweepDatagrams(rng: inout SplitMix64) -> [[UInt8]] {
        let firstBytes: [UInt8] = [0, 1, 3, 16, 19, 20, 22, 23, 63, 64, 79, 128, 144, 191, 4, 15, 80, 127, 192, 255]
        let lengths = [0, 1, 2, 4, 12, 20, 21, 100, 1200, 1500]
        var out: [[UInt8]] = [[]]
        for first in firstBytes {
            for length in lengths where length > 0 {
                var d = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                d[0] = first
                switch first {
                case 0...3 where length >= 20:
                    d[2] = UInt8((length - 20) >> 8); d[3] = UInt8((length - 20) & 0xFF)
                    d[4] = 0x21; d[5] = 0x12; d[6] = 0xA4; d[7] = 0x42
                case 20...63 where length >= 13:
                    d[1] = 0xFE; d[2] = 0xFD; d[11] = UInt8((length - 13) >> 8); d[12] = UInt8((length - 13) & 0xFF)
                case 64...79 where length >= 4:
                    d[2] = UInt8((length - 4) >> 8); d[3] = UInt8((length - 4) & 0xFF)
                default: break
                }
                out.append(d)
            }
        }
        return out
    }

    // MARK: - B.5 TURN framing

    /// ChannelData edges at the codec: channel numbers just outside 0x4000–0x4FFF and lengths one
    /// past the datagram are rejected; exact fits and padding are accepted.
    @Test(arguments: [
        ([0x3F, 0xFF, 0x00, 0x00], false), ([0x40, 0x00, 0x00, 0x00], true), ([0x4F, 0xFF, 0x00, 0x00], true),
        ([0x50, 0x00, 0x00, 0x00], false), ([0xFF, 0xFF, 0x00, 0x00], false), ([0x40, 0x00, 0x00, 0x01], false),
        ([0x40, 0x00, 0x00, 0x01, 0xAA], true), ([0x40, 0x00, 0x00, 0x02, 0xAA], false),
        ([0x40, 0x00, 0x00, 0x01, 0xAA, 0x00, 0x00, 0x00], true), ([0x40, 0x00, 0xFF, 0xFF, 0xAA, 0xBB], false),
        ([0x40, 0x00, 0x00], false), ([], false),
    ] as [([UInt8], Bool)])
    func channelDataCodecEdges(_ bytes: [UInt8], _ accepted: Bool) {
        let cd = TURNChannelData.decode(bytes)
        #expect((cd != nil) == accepted, "\(bytes)")
        if let cd { #expect(cd.data.count + 4 <= bytes.count && TURNChannelData.channelRange.contains(cd.channel)) }
    }

    /// ChannelData arriving from the TURN server at the ICE agent: while allocating, on an unbound
    /// channel once allocated, with a length past the datagram, or with a first byte outside
    /// 0x40–0x4F: never returned as application data, each counted as one drop, no event, and the
    /// allocation keeps working.
    @Test func channelDataFromTheServerIsDroppedByTheAgent() throws {
        let server = try #require(TransportAddress("192.0.2.10:3478"))
        let config = ICEAgentConfiguration(servers: [ICEServer(urls: ["turn:192.0.2.10:3478?transport=udp"], username: "user", credential: "pass")])
        let agent = ICEAgent(role: .controlling, localUfrag: "ufrg", localPassword: "passwordpasswordpassword",
                             configuration: config, random: RandomSource(seed: Self.seed))
        var now = Instant.milliseconds(1000)
        agent.addHostSocket(id: 1, address: try #require(TransportAddress("10.0.0.1:5000")), now: now)
        agent.startGathering(now: now)
        func nextAllocate() -> STUNMessage? {
            while let t = agent.pollTransmit() {
                if t.destination == server, let m = STUNMessage.decode(t.bytes), m.method == .allocate, m.cls == .request { return m }
            }
            return nil
        }
        func drainEvents() -> [ICEEvent] { var e: [ICEEvent] = []; while let x = agent.pollEvent() { e.append(x) }; return e }
        func expectDropped(_ bytes: [UInt8], _ reason: String, _ what: String) {
            let before = agent.drops[reason], total = agent.drops.total
            #expect(agent.handleDatagram(bytes, from: server, socket: 1, now: now) == nil, "\(what): returned as data")
            #expect(agent.drops[reason] == before + 1 && agent.drops.total == total + 1, "\(what): not counted as \(reason) (\(agent.drops.counts))")
        }
        let first = try #require(nextAllocate(), "no Allocate sent")
        expectDropped(TURNChannelData(channel: 0x4000, data: [0x17, 0xFE, 0xFD]).encode(), "turn.badChannelData", "while allocating")

        // 401 with realm and nonce, then success: the allocation is up.
        let challenge = STUNMessage(method: .allocate, cls: .errorResponse, transactionID: first.transactionID,
                                    attributes: [.errorCode(401, reason: "Unauthorized"), .realm("example.org"), .nonce("n0nce")])
        _ = agent.handleDatagram(challenge.encode(fingerprint: true), from: server, socket: 1, now: now)
        let second = try #require(nextAllocate(), "no authenticated Allocate")
        #expect(second.hasIntegrity)
        let key = STUNCrypto.longTermKey(username: "user", realm: "example.org", password: "pass")
        let relayed = try #require(TransportAddress("192.0.2.10:50000")), mapped = try #require(TransportAddress("198.51.100.1:5000"))
        let success = STUNMessage(method: .allocate, cls: .successResponse, transactionID: second.transactionID, attributes: [
            .xorAddress(.xorRelayedAddress, relayed, transactionID: second.transactionID),
            .xorAddress(.xorMappedAddress, mapped, transactionID: second.transactionID), .lifetime(600),
        ])
        now = now + .milliseconds(10)
        _ = agent.handleDatagram(success.encode(integrityKey: key, fingerprint: true), from: server, socket: 1, now: now)
        let relayCandidates = drainEvents().filter { if case .localCandidate(let c) = $0 { return c.type == .relay } else { return false } }
        #expect(relayCandidates.count == 1, "the allocation should succeed")

        expectDropped(TURNChannelData(channel: 0x4000, data: [0x17, 0xFE, 0xFD]).encode(), "turn.badChannelData", "unbound channel 0x4000")
        expectDropped(TURNChannelData(channel: 0x4FFF, data: [1, 2, 3, 4]).encode(pad: true), "turn.badChannelData", "unbound channel 0x4FFF")
        expectDropped([0x40, 0x00, 0x00, 0x64] + [UInt8](repeating: 0x17, count: 10), "turn.badChannelData", "length past the datagram")
        expectDropped([0x40, 0x00, 0xFF, 0xFF], "turn.badChannelData", "length 65535 with no data")
        expectDropped([0x40, 0x01], "turn.badChannelData", "two bytes")
        expectDropped([0x50, 0x00, 0x00, 0x04, 1, 2, 3, 4], "turn.unexpected", "channel 0x5000")
        expectDropped([0x3F, 0xFF, 0x00, 0x04, 1, 2, 3, 4], "turn.unexpected", "channel 0x3FFF")
        expectDropped([0x80, 0x00, 0x00, 0x04, 1, 2, 3, 4], "turn.unexpected", "RTP-range first byte")
        #expect(drainEvents().isEmpty, "junk from the server produced events")
    }

    // MARK: - B.12 DCEP

    /// Malformed DCEP messages (lengths overrunning the payload, unknown message and channel types,
    /// truncation, invalid UTF-8) handed to the association's receive path: each is dropped and
    /// counted, no channel is created, and data on their streams is dropped too. A valid OPEN after
    /// them still creates its channel.
    @Test func malformedDCEPCreatesNoChannel() throws {
        let assoc = try SCTPAssociation(isDTLSClient: true)  // the peer opens odd stream ids
        defer { assoc.close() }
        func open(_ type: UInt8, label: UInt16, proto: UInt16, _ tail: [UInt8]) -> [UInt8] {
            [0x03, type, 0x01, 0x00, 0, 0, 0, 0, UInt8(label >> 8), UInt8(label & 0xFF), UInt8(proto >> 8), UInt8(proto & 0xFF)] + tail
        }
        let malformed: [(String, [UInt8])] = [
            ("empty", []),
            ("unknown type 0x00", [0x00]),
            ("unknown type 0x01", [0x01, 0x00]),
            ("unknown type 0x04", [0x04] + open(0, label: 1, proto: 0, [0x61]).dropFirst()),
            ("unknown type 0xFF", [0xFF, 0xFF, 0xFF, 0xFF]),
            ("truncated header", Array(open(0, label: 0, proto: 0, []).prefix(11))),
            ("label overruns", open(0, label: 10, proto: 0, [0x61, 0x62])),
            ("protocol overruns", open(0, label: 1, proto: 0xFFFF, [0x61])),
            ("label 65535, empty tail", open(0, label: 0xFFFF, proto: 0xFFFF, [])),
            ("lengths shorter than the payload", open(0, label: 1, proto: 0, [0x61, 0x62, 0x63])),
            ("unknown channel type 0x03", open(0x03, label: 1, proto: 0, [0x61])),
            ("unknown channel type 0x7F", open(0x7F, label: 1, proto: 0, [0x61])),
            ("invalid UTF-8 label", open(0, label: 2, proto: 0, [0xC3, 0x28])),
        ]
        var stream: UInt16 = 1
        for (name, bytes) in malformed {
            let before = assoc.drops.total
            assoc.receiveMessageForTesting(bytes, stream: stream, ppid: 50)
            #expect(assoc.drops.total == before + 1, "\(name): not counted (\(assoc.drops.counts))")
            assoc.receiveMessageForTesting(Array("after \(name)".utf8), stream: stream, ppid: 51)
            #expect(assoc.drops["sctp.unknownStream"] >= 1, "\(name): data on its stream was not dropped")
            stream += 2
        }
        var events: [SCTPEvent] = []
        while let e = assoc.pollEvent() { events.append(e) }
        let created = events.filter { if case .remoteChannel = $0 { return true }; if case .message = $0 { return true }; return false }
        #expect(created.isEmpty, "malformed DCEP created channels or delivered data: \(created)")
        #expect(assoc.drops["sctp.unknownStream"] == malformed.count)

        // Positive control: the same path accepts a well-formed OPEN.
        let good = DCEPMessage.open(DCEPOpen(channelType: .reliable, label: "ok", protocol: "")).encode()
        assoc.receiveMessageForTesting(good, stream: 201, ppid: 50)
        var after: [SCTPEvent] = []
        while let e = assoc.pollEvent() { after.append(e) }
        #expect(after.contains { if case .remoteChannel(id: 201, let p) = $0 { return p.label == "ok" }; return false }, "\(after)")
    }

    // MARK: - B.17 teardown in every phase

    /// Where the offerer is closed. The `in…Handler` phases close from inside the event handler
    /// that announces the phase, so the close lands exactly there.
    enum ClosePhase: String, CaseIterable, Sendable {
        case afterSetLocalDescription, afterAnswerApplied, inIceCheckingHandler, inDtlsConnectingHandler,
             inDtlsConnectedHandler, inChannelOpenHandler
    }

    /// Closes the offerer at a given phase of connection setup: no crash, the offerer fires no
    /// event after `close()` returns, it is `closed` with its channel `closed`, the answerer fires
    /// none after its own `close()`, and a fresh pair still connects and echoes afterwards.
    @Test(arguments: ClosePhase.allCases)
    func closeDuringPhase(_ phase: ClosePhase) async throws {
        let a = try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
        let b = try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
        let log = EventLog()
        PeerConnectionPair.link(a, b)
        log.watch(a, side: "A")
        log.watch(b, side: "B")
        let channel = try a.createDataChannel("teardown")
        log.watch(channel, side: "A")
        b.onDataChannel = { [log] ch in log.record("B", "datachannel"); log.watch(ch, side: "B") }

        let closedInHandler = Recorder<Bool>()
        let closeA: @Sendable () -> Void = { [a, log] in
            a.close()
            log.markClosed("A")
            closedInHandler.record(true)
        }
        switch phase {
        case .afterSetLocalDescription:
            try await a.setLocalDescription()
            closeA()
        case .afterAnswerApplied:
            try await PeerConnectionPair.negotiate(offerer: a, answerer: b)
            closeA()
        case .inIceCheckingHandler:
            a.onIceConnectionStateChange = { [log] s in
                log.record("A", "ice=\(s.rawValue)")
                if s == .checking { closeA() }
            }
            try await PeerConnectionPair.negotiate(offerer: a, answerer: b)
        case .inDtlsConnectingHandler:
            a.dtls.onStateChange = { [log] s in
                log.record("A", "dtls=\(s.rawValue)")
                if s == .connecting { closeA() }
            }
            try await PeerConnectionPair.negotiate(offerer: a, answerer: b)
        case .inDtlsConnectedHandler:  // SCTP INIT and the DCEP OPEN are about to leave
            a.dtls.onStateChange = { [log] s in
                log.record("A", "dtls=\(s.rawValue)")
                if s == .connected { closeA() }
            }
            try await PeerConnectionPair.negotiate(offerer: a, answerer: b)
        case .inChannelOpenHandler:
            channel.onOpen = { [log] in
                log.record("A", "open")
                closeA()
            }
            try await PeerConnectionPair.negotiate(offerer: a, answerer: b)
        }
        try await Self.waitFor(timeout: .seconds(10)) { !closedInHandler.values.isEmpty }
        #expect(a.connectionState == .closed && a.signalingState == .closed)
        #expect(channel.readyState == .closed)
        try await Task.sleep(for: .milliseconds(300))
        b.close()
        log.markClosed("B")
        try await Task.sleep(for: .milliseconds(200))
        #expect(log.afterClose.isEmpty, "\(phase): events after close: \(log.afterClose)")
        print("RobustnessTests.closeDuringPhase(\(phase)) events=\(log.all)")

        let fresh = try await PeerConnectionPair.connected(label: "after-\(phase.rawValue)")
        defer { fresh.close() }
        try await Self.expectEcho(fresh, count: 1)
    }

    /// `close()` from a task (not the connection's executor) while the connection is busy
    /// connecting, at seeded delays: when it returns every state reads `closed` and stays so, and
    /// no event fires afterwards — even though the executor may be in the middle of publishing a
    /// state change.
    @Test func closeFromAnotherTaskIsFinal() async throws {
        let seed = Self.seed
        print("RobustnessTests.closeFromAnotherTaskIsFinal seed=\(seed)")
        var rng = SplitMix64(seed: seed)
        for i in 0..<40 {
            let a = try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
            let b = try RTCPeerConnection(configuration: PeerConnectionPair.loopbackConfiguration)
            defer { b.close() }
            let log = EventLog()
            PeerConnectionPair.link(a, b)
            log.watch(a, side: "A")
            _ = try a.createDataChannel("final")
            try await PeerConnectionPair.negotiate(offerer: a, answerer: b)
            let delay = rng.below(4)
            if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
            a.close()
            log.markClosed("A")
            #expect(a.connectionState == .closed && a.iceConnectionState == .closed && a.signalingState == .closed,
                    "iteration \(i) (\(delay) ms): \(a.connectionState)/\(a.iceConnectionState)/\(a.signalingState) right after close()")
            try await Task.sleep(for: .milliseconds(30))
            #expect(a.connectionState == .closed && a.iceConnectionState == .closed,
                    "iteration \(i) (\(delay) ms): \(a.connectionState)/\(a.iceConnectionState) 30 ms after close()")
            #expect(log.afterClose.isEmpty, "iteration \(i) (\(delay) ms): events after close: \(log.afterClose)")
        }
    }

    /// webrtc-pc §4.3.3: `connected` holds while every transport is connected, completed or
    /// *closed*. When the remote closes (DTLS close_notify), the survivor's DTLS transport is
    /// `closed` while ICE is still connected, so its connectionState must stay `connected` (until
    /// consent expires), not fall back to `connecting`.
    @Test func remoteCloseDoesNotTurnConnectedIntoConnecting() async throws {
        let pair = try await PeerConnectionPair.connected(label: "remote-close")
        defer { pair.close() }
        let states = Recorder<RTCPeerConnectionState>()
        pair.answerer.onConnectionStateChange = { s in states.record(s) }
        pair.offerer.close()
        try await Self.waitFor { pair.answerer.dtls.state == .closed }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!states.values.contains(.connecting), "answerer connection states after the remote closed: \(states.values)")
        #expect(pair.answerer.connectionState == .connected, "\(pair.answerer.connectionState)")
    }

    // MARK: - Helpers

    static func droppedPackets(_ report: RTCStatsReport) -> Int {
        guard case .int(let n)? = report.all(ofType: "transport").first?.values["droppedPackets"] else { return 0 }
        return n
    }

    /// The answerer echoes; `count` messages round-trip intact and in order.
    static func expectEcho(_ pair: PeerConnectionPair, count: Int) async throws {
        try await expectEcho(from: pair.offererChannel, via: pair.answererChannel, count: count)
    }

    static func expectEcho(from sender: RTCDataChannel, via echoer: RTCDataChannel, count: Int) async throws {
        echoer.onMessage = { [echoer] m in try? echoer.send(m) }
        let got = Recorder<RTCDataChannelMessage>()
        sender.onMessage = { m in got.record(m) }
        var sent: [RTCDataChannelMessage] = []
        for i in 0..<count {
            let m: RTCDataChannelMessage = i % 2 == 0 ? .text("echo \(i) ✓") : .binary(Data((0..<200).map { UInt8(($0 + i) & 0xFF) }))
            try sender.send(m)
            sent.append(m)
        }
        try await waitFor { got.values.count >= count }
        #expect(got.values == sent)
    }

    static func waitFor(timeout: Duration = .seconds(5), _ condition: @Sendable () -> Bool) async throws {
        let end = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < end else { throw RTCError(.operationError, "condition not met within \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Forwards trickled candidates like `PeerConnectionPair.link`, recording each one's address.
    static func link(_ a: RTCPeerConnection, _ b: RTCPeerConnection, recordA: Recorder<HostPort>, recordB: Recorder<HostPort>) {
        a.onIceCandidate = { [weak b] c in
            if let c, let h = c.address, let p = c.port { recordA.record(HostPort(host: h, port: p)) }
            guard let b else { return }
            Task { try? await b.addIceCandidate(c?.toJSON() ?? RTCIceCandidateInit(candidate: "", sdpMid: "0", sdpMLineIndex: 0)) }
        }
        b.onIceCandidate = { [weak a] c in
            if let c, let h = c.address, let p = c.port { recordB.record(HostPort(host: h, port: p)) }
            guard let a else { return }
            Task { try? await a.addIceCandidate(c?.toJSON() ?? RTCIceCandidateInit(candidate: "", sdpMid: "0", sdpMLineIndex: 0)) }
        }
    }
}

// MARK: - Support types

/// An address a candidate announced.
struct HostPort: Hashable, Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// SplitMix64: a tiny seeded generator, so the inputs depend on the seed alone.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
}

/// Line-aware SDP mutations: delete, duplicate, swap, truncate lines; replace characters and
/// numbers with boundary values; insert hostile lines; drop tokens; change line types; mix line
/// endings. One to three per input.
enum SDPMutator {
    static let hostileLines = [
        "a=", "x=1", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:", "a=setup:bogus",
        "a=fingerprint:sha-256 ZZ", "a=ice-ufrag:", "a=ice-pwd:x", "a=max-message-size:0", "a=sctp-port:70000",
        "m=audio 0 RTP/AVP 0", "c=IN IP4 999.1.1.1", "a=candidate:1 1 udp 1 127.0.0.1 99999 typ host",
        "v=1", "a=group:BUNDLE 9", "", " ", "a=setup:active", "a=mid:0", "a=fingerprint:sha-512 00:11",
        "m=application 65536 UDP/DTLS/SCTP webrtc-datachannel", "a=rtpmap:96", "b=AS:-1", "t=0",
    ]
    static let numbers = ["0", "1", "65535", "65536", "-1", "4294967296", "18446744073709551615", "18446744073709551616",
                          "99999999999999999999999999", "1e3", "", "0x10", "٣"]
    static let characters: [Character] = [" ", ":", "=", "\t", "\u{0}", "é", "/", "-", "9", "a", "\u{7F}", "\r", "\u{FEFF}"]

    static func mutate(_ sdp: String, rng: inout SplitMix64) -> String {
        let crlf = sdp.contains("\r\n")
        var lines = sdp.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var mixEndings = false
        for _ in 0...rng.below(3) where !lines.isEmpty {
            let i = rng.below(lines.count)
            switch rng.below(10) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: rng.below(lines.count + 1))
            case 2: lines.swapAt(i, rng.below(lines.count))
            case 3: lines[i] = String(lines[i].prefix(rng.below(lines[i].count + 1)))
            case 4:
                var chars = Array(lines[i])
                if !chars.isEmpty { chars[rng.below(chars.count)] = rng.pick(characters) }
                lines[i] = String(chars)
            case 5:
                let line = lines[i]
                if let r = line.range(of: "[0-9]+", options: .regularExpression) {
                    lines[i] = line.replacingCharacters(in: r, with: rng.pick(numbers))
                }
            case 6: lines.insert(rng.pick(hostileLines), at: rng.below(lines.count + 1))
            case 7:
                var tokens = lines[i].split(separator: " ", omittingEmptySubsequences: false)
                if tokens.count > 1 { tokens.remove(at: rng.below(tokens.count)) }
                lines[i] = tokens.joined(separator: " ")
            case 8:
                if !lines[i].isEmpty { lines[i] = String(rng.pick(Array("vosiuepcbtrzkamx"))) + lines[i].dropFirst() }
            default: mixEndings = true
            }
        }
        let eol = crlf ? "\r\n" : "\n"
        var text = lines.joined(separator: eol) + eol
        if mixEndings, let r = text.range(of: eol) { text.replaceSubrange(r, with: crlf ? "\n" : "\r\n") }
        return text
    }
}

/// How an API call ended.
enum CallOutcome {
    case ok, rejected(RTCError), nonRTCError(any Error), hang
}

/// Runs `body` in its own task and reports `.hang` if it has not finished after `limit` (the task
/// is left running: a hang is the finding).
func outcome(limit: Duration = .seconds(5), of body: @escaping @Sendable () async throws -> Void) async -> CallOutcome {
    let once = Once()
    return await withCheckedContinuation { (cont: CheckedContinuation<CallOutcome, Never>) in
        Task {
            let r: CallOutcome
            do { try await body(); r = .ok } catch let e as RTCError { r = .rejected(e) } catch { r = .nonRTCError(error) }
            if once.claim() { cont.resume(returning: r) }
        }
        Task {
            try? await Task.sleep(for: limit)
            if once.claim() { cont.resume(returning: .hang) }
        }
    }
}

/// A flag that can be claimed once across tasks.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func claim() -> Bool { lock.lock(); defer { lock.unlock() }; if done { return false }; done = true; return true }
}

/// Every event of the peer connections and channels under test, and those that arrived after the
/// side's `close()` returned.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var closed: Set<String> = []
    private var events: [String] = []
    private var late: [String] = []

    func record(_ side: String, _ what: String) {
        lock.lock(); defer { lock.unlock() }
        events.append("\(side):\(what)")
        if closed.contains(side) { late.append("\(side):\(what)") }
    }
    func markClosed(_ side: String) { lock.lock(); closed.insert(side); lock.unlock() }
    var afterClose: [String] { lock.lock(); defer { lock.unlock() }; return late }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return events }

    func watch(_ pc: RTCPeerConnection, side: String) {
        pc.onConnectionStateChange = { [self] s in record(side, "connection=\(s.rawValue)") }
        pc.onIceConnectionStateChange = { [self] s in record(side, "ice=\(s.rawValue)") }
        pc.onSignalingStateChange = { [self] s in record(side, "signaling=\(s.rawValue)") }
        pc.onIceGatheringStateChange = { [self] s in record(side, "gathering=\(s.rawValue)") }
        pc.onNegotiationNeeded = { [self] in record(side, "negotiationneeded") }
        pc.onIceCandidateError = { [self] _ in record(side, "icecandidateerror") }
        pc.dtls.onStateChange = { [self] s in record(side, "dtls=\(s.rawValue)") }
    }

    func watch(_ ch: RTCDataChannel, side: String) {
        ch.onOpen = { [self] in record(side, "open") }
        ch.onMessage = { [self] _ in record(side, "message") }
        ch.onClosing = { [self] in record(side, "closing") }
        ch.onClose = { [self] in record(side, "close") }
        ch.onError = { [self] e in record(side, "error \(e.name)") }
        ch.onBufferedAmountLow = { [self] in record(side, "bufferedamountlow") }
    }
}

/// A plain UDP socket on loopback that is not part of any connection.
final class StrangerSocket: @unchecked Sendable {
    let fd: Int32
    let ipv6: Bool

    init(ipv6: Bool) throws {
        self.ipv6 = ipv6
        #if canImport(Glibc)
        fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw RTCError(.operationError, "socket() failed: errno \(errno)") }
    }

    /// Sends each datagram to host:port, pausing briefly every few so the receiver's buffer keeps up.
    func send(_ datagrams: [[UInt8]], to host: String, port: Int) async throws {
        for (i, d) in datagrams.enumerated() {
            let n: Int
            if ipv6 {
                var sa = sockaddr_in6()
                sa.sin6_family = sa_family_t(AF_INET6)
                sa.sin6_port = UInt16(port).bigEndian
                guard inet_pton(AF_INET6, host, &sa.sin6_addr) == 1 else { throw RTCError(.operationError, "bad address \(host)") }
                n = d.withUnsafeBytes { buf in
                    withUnsafePointer(to: &sa) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, buf.baseAddress, buf.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                        }
                    }
                }
            } else {
                var sa = sockaddr_in()
                sa.sin_family = sa_family_t(AF_INET)
                sa.sin_port = UInt16(port).bigEndian
                guard inet_pton(AF_INET, host, &sa.sin_addr) == 1 else { throw RTCError(.operationError, "bad address \(host)") }
                n = d.withUnsafeBytes { buf in
                    withUnsafePointer(to: &sa) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, buf.baseAddress, buf.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
            }
            guard n == d.count else { throw RTCError(.operationError, "sendto sent \(n) of \(d.count): errno \(errno)") }
            if i % 16 == 15 { try await Task.sleep(for: .milliseconds(2)) }
        }
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }
}
