import Testing
import WebRTCCore
@testable import WebRTCICE
import WebRTCSTUN
import WebRTCTestSupport

/// Sans-IO tests of TURN over a stream: the agent's side of `openStream` / `streamConnected` /
/// `handleStreamBytes` / `streamClosed`, with a scripted server and arbitrary chunking.
@Suite struct ICEStreamTests {
    static let server = addr("192.0.2.10:3478")
    static let peer = addr("198.51.100.5:7000")
    static let relayed = addr("192.0.2.10:50000")
    static let mapped = addr("203.0.113.9:41000")
    static let realm = "stream.example", user = "u", pass = "p"
    static var key: [UInt8] { STUNCrypto.longTermKey(username: user, realm: realm, password: pass) }

    /// A relay-only agent with one host socket and one `turn:…?transport=tcp` server.
    static func agent(url: String = "turn:192.0.2.10:3478?transport=tcp", seed: UInt64 = 5001) -> ICEAgent {
        var c = ICEAgentConfiguration(servers: [ICEServer(urls: [url], username: user, credential: pass)], relayOnly: true)
        c.turnTLSVerification = .disabled
        let a = ICEAgent(role: .controlling, localUfrag: "abcd", localPassword: "0123456789012345678901",
                         configuration: c, random: RandomSource(seed: seed))
        a.addHostSocket(id: 1, address: addr("10.0.0.1:5000"), now: .zero)
        return a
    }

    static func events(_ a: ICEAgent) -> [ICEEvent] {
        var out: [ICEEvent] = []
        while let e = a.pollEvent() { out.append(e) }
        return out
    }

    static func transmits(_ a: ICEAgent) -> [ICETransmit] {
        var out: [ICETransmit] = []
        while let t = a.pollTransmit() { out.append(t) }
        return out
    }

    /// Whole STUN messages the agent wrote on `stream`, decoded through a framer.
    static func requests(_ ts: [ICETransmit], stream: Int) -> [STUNMessage] {
        var f = ICEStreamFramer()
        let frames = f.push(ts.filter { $0.socket == stream }.flatMap(\.bytes)) ?? []
        return frames.compactMap { STUNMessage.decode($0) }
    }

    /// Feeds `bytes` in chunks of pseudo-random sizes 1…`maxChunk`, collecting payloads.
    static func feed(_ a: ICEAgent, _ bytes: [UInt8], stream: Int, maxChunk: Int, rnd: RandomSource, now: Instant = .milliseconds(10))
        -> [(payload: [UInt8], from: TransportAddress)] {
        var out: [(payload: [UInt8], from: TransportAddress)] = []
        var i = 0
        while i < bytes.count {
            let n = min(bytes.count - i, 1 + Int(rnd.next() % UInt64(maxChunk)))
            out += a.handleStreamBytes(Array(bytes[i..<(i + n)]), socket: stream, now: now)
            i += n
        }
        return out
    }

    /// Opens the stream and completes the Allocate exchange (401 challenge, then success), with
    /// the server's bytes cut into chunks of at most `maxChunk`. Returns the stream id.
    static func allocate(_ a: ICEAgent, maxChunk: Int) throws -> Int {
        a.startGathering(now: .zero)
        let opens = events(a).compactMap { e -> (Int, TransportAddress)? in
            if case .openStream(let s, let to) = e { return (s, to) } else { return nil }
        }
        #expect(opens.count == 1)
        let (stream, to) = try #require(opens.first)
        #expect(stream >= ICEAgent.firstStreamID && to == server)
        #expect(transmits(a).isEmpty, "nothing may be written before the stream is connected")

        a.streamConnected(socket: stream, localAddress: addr("10.0.0.1:40000"), now: .milliseconds(1))
        let first = try #require(requests(transmits(a), stream: stream).first)
        #expect(first.method == .allocate && first.cls == .request && !first.hasIntegrity && first.requestedTransport == 17)
        let challenge = STUNMessage(method: .allocate, cls: .errorResponse, transactionID: first.transactionID,
                                    attributes: [.errorCode(401, reason: "Unauthorized"), .realm(realm), .nonce("n1")])
        let rnd = RandomSource(seed: 77)
        #expect(feed(a, challenge.encode(fingerprint: true), stream: stream, maxChunk: maxChunk, rnd: rnd).isEmpty)
        let second = try #require(requests(transmits(a), stream: stream).first)
        #expect(second.method == .allocate && second.verifyIntegrity(key: key))
        let ok = STUNMessage(method: .allocate, cls: .successResponse, transactionID: second.transactionID, attributes: [
            .xorAddress(.xorRelayedAddress, relayed, transactionID: second.transactionID),
            .xorAddress(.xorMappedAddress, mapped, transactionID: second.transactionID), .lifetime(600),
        ])
        #expect(feed(a, ok.encode(integrityKey: key, fingerprint: true), stream: stream, maxChunk: maxChunk, rnd: rnd).isEmpty)
        return stream
    }

    @Test(arguments: [1, 3, 7, 64, 4096])
    func allocateAndRelayOverChunkedStream(_ maxChunk: Int) throws {
        print("ICEStreamTests.allocateAndRelayOverChunkedStream maxChunk=\(maxChunk)")
        let a = Self.agent()
        let stream = try Self.allocate(a, maxChunk: maxChunk)
        let evs = Self.events(a)
        let relays = evs.compactMap { e -> ICECandidate? in if case .localCandidate(let c) = e { return c } else { return nil } }
        #expect(relays.count == 1)
        let c = try #require(relays.first)
        #expect(c.type == .relay && c.transport == "udp" && c.address == Self.relayed && c.relatedAddress == Self.mapped)
        #expect(evs.contains { if case .gatheringStateChanged(.complete) = $0 { return true } else { return false } })
        // A TCP relay ranks below a UDP relay from the same host socket (RFC 8445 §5.1.2.1 local preference).
        #expect(c.priority < ICEPriority.candidate(type: .relay, localPreference: 65535))

        // A remote candidate: the check goes out as a Send indication on the stream, and a
        // CreatePermission request with it.
        a.setRemoteCredentials(ufrag: "wxyz", password: "remote-password-000000", now: .milliseconds(20))
        a.addRemoteCandidate(ICECandidate(foundation: "1", priority: 2_130_706_431, address: Self.peer, type: .host), now: .milliseconds(20))
        a.handleTimeout(now: .milliseconds(20))
        let out = Self.transmits(a)
        #expect(!out.isEmpty && out.allSatisfy { $0.socket == stream && $0.destination == Self.server })
        let msgs = Self.requests(out, stream: stream)
        #expect(msgs.contains { $0.method == .send && $0.cls == .indication && $0.xorPeerAddress == Self.peer })
        #expect(msgs.contains { $0.method == .createPermission && $0.xorPeerAddress?.ip == Self.peer.ip })

        // The peer answers the check (a Data indication carrying the Binding success): only a
        // checked peer may deliver application data.
        let check = try #require(msgs.lazy.filter { $0.method == .send }.compactMap { $0.data.flatMap(STUNMessage.decode) }.first)
        var answer = STUNMessage(method: .data, cls: .indication, random: RandomSource(seed: 4))
        let success = STUNMessage(method: .binding, cls: .successResponse, transactionID: check.transactionID,
                                  attributes: [.xorAddress(.xorMappedAddress, Self.relayed, transactionID: check.transactionID)])
        answer.attributes = [.xorAddress(.xorPeerAddress, Self.peer, transactionID: answer.transactionID),
                             .data(success.encode(integrityKey: STUNCrypto.shortTermKey(password: "remote-password-000000"), fingerprint: true))]
        #expect(Self.feed(a, answer.encode(), stream: stream, maxChunk: maxChunk, rnd: RandomSource(seed: 6)).isEmpty)
        #expect(a.drops["ice.badIntegrity"] == 0)
        _ = Self.transmits(a)

        // Data from the peer: a Data indication and a padded ChannelData are not known channels
        // yet, so only the indication's payload comes back, with the peer address.
        var indication = STUNMessage(method: .data, cls: .indication, random: RandomSource(seed: 3))
        indication.attributes = [.xorAddress(.xorPeerAddress, Self.peer, transactionID: indication.transactionID), .data([0x17, 1, 2, 3, 4])]
        let stray = TURNChannelData(channel: 0x4444, data: [0x17, 9]).encode(pad: true)
        let got = Self.feed(a, indication.encode() + stray + indication.encode(), stream: stream, maxChunk: maxChunk, rnd: RandomSource(seed: 5))
        #expect(got.count == 2 && got.allSatisfy { $0.payload == [0x17, 1, 2, 3, 4] && $0.from == Self.peer })
        #expect(a.drops["turn.badChannelData"] == 1)

        // close(): the allocation is released on the stream, then the stream is closed.
        a.close()
        let last = Self.requests(Self.transmits(a), stream: stream)
        #expect(last.contains { $0.method == .refresh && $0.lifetime == 0 && $0.verifyIntegrity(key: Self.key) })
        #expect(Self.events(a).contains { if case .closeStream(stream) = $0 { return true } else { return false } })
    }

    @Test func refusedConnectionIs701() throws {
        let a = Self.agent()
        a.startGathering(now: .zero)
        guard case .openStream(let s, _)? = Self.events(a).first(where: { if case .openStream = $0 { return true } else { return false } }) else {
            Issue.record("no openStream")
            return
        }
        a.streamClosed(socket: s, now: .milliseconds(5))
        let evs = Self.events(a)
        #expect(evs.contains { if case .candidateError(_, _, _, 701, let t) = $0 { return t.contains("connect") } else { return false } })
        #expect(evs.contains { if case .gatheringStateChanged(.complete) = $0 { return true } else { return false } })
        #expect(Self.transmits(a).isEmpty)
        #expect(a.nextDeadline() == nil)
    }

    @Test func unframeableBytesCloseTheStream() throws {
        let a = Self.agent()
        a.startGathering(now: .zero)
        guard case .openStream(let s, _)? = Self.events(a).first(where: { if case .openStream = $0 { return true } else { return false } }) else {
            Issue.record("no openStream")
            return
        }
        a.streamConnected(socket: s, localAddress: addr("10.0.0.1:40000"), now: .milliseconds(1))
        _ = Self.transmits(a)
        #expect(a.handleStreamBytes([0xFF, 0, 0, 4, 1, 2, 3, 4], socket: s, now: .milliseconds(2)).isEmpty)
        #expect(a.drops["turn.streamDesync"] == 1)
        let evs = Self.events(a)
        #expect(evs.contains { if case .closeStream(s) = $0 { return true } else { return false } })
        #expect(evs.contains { if case .candidateError(_, _, _, 701, _) = $0 { return true } else { return false } })
        // Later bytes on the closed stream are dropped and counted.
        #expect(a.handleStreamBytes([0, 1, 0, 0], socket: s, now: .milliseconds(3)).isEmpty)
        #expect(a.drops["ice.unknownStream"] == 1)
    }

    @Test func gatheringTimeoutClosesAnUnansweredStream() throws {
        let a = Self.agent()
        a.startGathering(now: .zero)
        guard case .openStream(let s, _)? = Self.events(a).first(where: { if case .openStream = $0 { return true } else { return false } }) else {
            Issue.record("no openStream")
            return
        }
        a.streamConnected(socket: s, localAddress: addr("10.0.0.1:40000"), now: .milliseconds(1))
        _ = Self.transmits(a)
        // Over a stream nothing is retransmitted (RFC 8489 §6.2.2): the only deadline is gathering's.
        #expect(a.nextDeadline() == .seconds(5))
        a.handleTimeout(now: .seconds(5))
        #expect(Self.transmits(a).isEmpty)
        let evs = Self.events(a)
        #expect(evs.contains { if case .closeStream(s) = $0 { return true } else { return false } })
        #expect(evs.contains { if case .candidateError(_, _, _, 701, _) = $0 { return true } else { return false } })
    }

    @Test func unusableTrustStoreFailsBeforeConnecting() {
        var c = ICEAgentConfiguration(servers: [ICEServer(urls: ["turns:192.0.2.10:5349"], username: Self.user, credential: Self.pass)],
                                      relayOnly: true)
        c.turnTLSVerification = .trustedCertificatesPEM("not a certificate")
        let a = ICEAgent(role: .controlling, localUfrag: "abcd", localPassword: "0123456789012345678901", configuration: c, random: RandomSource(seed: 1))
        a.addHostSocket(id: 1, address: addr("10.0.0.1:5000"), now: .zero)
        a.startGathering(now: .zero)
        let evs = Self.events(a)
        #expect(!evs.contains { if case .openStream = $0 { return true } else { return false } })
        #expect(evs.contains { if case .candidateError(_, _, _, 701, _) = $0 { return true } else { return false } })
    }

    /// One stream per server even with several host sockets; `turns:?transport=udp` (DTLS) is 701.
    @Test func oneStreamPerServerAndNoDTLS() {
        var c = ICEAgentConfiguration(servers: [ICEServer(urls: ["turn:192.0.2.10:3478?transport=tcp", "turns:192.0.2.10:5349?transport=udp"],
                                                          username: Self.user, credential: Self.pass)])
        c.turnTLSVerification = .disabled
        let a = ICEAgent(role: .controlling, localUfrag: "abcd", localPassword: "0123456789012345678901", configuration: c, random: RandomSource(seed: 1))
        a.addHostSocket(id: 1, address: addr("10.0.0.1:5000"), now: .zero)
        a.addHostSocket(id: 2, address: addr("10.0.0.2:5000"), now: .zero)
        a.startGathering(now: .zero)
        let evs = Self.events(a)
        #expect(evs.filter { if case .openStream = $0 { return true } else { return false } }.count == 1)
        #expect(evs.filter { if case .candidateError(_, _, _, 701, _) = $0 { return true } else { return false } }.count == 2)
    }

    /// TESTING.md B5 for streams: seeded random bytes and mangled frames in random chunks never
    /// trap; the stream is either still framing or closed with a counted drop; memory stays bounded.
    @Test(arguments: [6001, 6002, 6003] as [UInt64])
    func randomStreamBytes(_ seed: UInt64) throws {
        print("ICEStreamTests.randomStreamBytes seed=\(seed)")
        let a = Self.agent(seed: seed)
        let stream = try Self.allocate(a, maxChunk: 50)
        _ = Self.events(a)
        let rnd = RandomSource(seed: seed)
        var bytes: [UInt8] = []
        for _ in 0..<200 {
            switch rnd.next() % 4 {
            case 0: bytes += TURNChannelData(channel: 0x4000 + UInt16(rnd.next() % 8), data: rnd.bytes(Int(rnd.next() % 40))).encode(pad: true)
            case 1:
                var m = STUNMessage(method: .data, cls: .indication, random: rnd)
                m.attributes = [.data(rnd.bytes(Int(rnd.next() % 40)))]
                bytes += m.encode()
            case 2: bytes += [0, 0x17, 0, 0] + rnd.bytes(16)  // a STUN-looking header with junk
            default: bytes += rnd.bytes(Int(rnd.next() % 8))
            }
        }
        _ = Self.feed(a, bytes, stream: stream, maxChunk: 300, rnd: rnd)
        let closed = Self.events(a).contains { if case .closeStream = $0 { return true } else { return false } }
        #expect(a.drops.total > 0)
        if !closed { #expect(a.streams.first?.framer.pending ?? 0 <= ICEStreamFramer.maxFrame) }
    }

    @Test func framerSplitsAnyChunking() {
        let rnd = RandomSource(seed: 42)
        var frames: [[UInt8]] = []
        for n in [0, 1, 2, 3, 4, 5, 100, 1201] {
            frames.append(TURNChannelData(channel: 0x4001, data: rnd.bytes(n)).encode(pad: true))
            frames.append(STUNMessage(method: .binding, cls: .request, random: rnd, attributes: [.data(rnd.bytes(n))]).encode(fingerprint: true))
        }
        let all = frames.flatMap { $0 }
        for maxChunk in [1, 2, 5, 17, 4096] {
            var f = ICEStreamFramer()
            var got: [[UInt8]] = []
            var i = 0
            while i < all.count {
                let n = min(all.count - i, 1 + Int(rnd.next() % UInt64(maxChunk)))
                got += f.push(Array(all[i..<(i + n)])) ?? [[0xDE, 0xAD]]
                i += n
            }
            #expect(got == frames, "maxChunk \(maxChunk)")
            #expect(f.pending == 0)
        }
        var bad = ICEStreamFramer()
        #expect(bad.push([0x80, 0, 0, 0]) == nil)
        var short = ICEStreamFramer()
        #expect(short.push([0x40, 0x00]) == [])
        #expect(short.pending == 2)
    }
}
