import Testing
import WebRTCCore
@testable import WebRTCICE
import WebRTCTestSupport

/// Two agents on real 127.0.0.1 sockets in real time: host↔host over UDP, and relay-only through
/// a real coturn reached over UDP, TCP and TLS. Loopback only; coturn is started per test on
/// free ports and killed (and reaped) at the end. A missing turnserver fails the test.
@Suite(.serialized) struct ICERealSocketTests {
    static let loopback = IPAddress("127.0.0.1")!

    /// Application-like payloads (first byte 23: DTLS range, RFC 7983) of sizes 1…1200, most not
    /// multiples of 4 (ChannelData padding on streams), tagged with the sender and an index.
    static func payloads(tag: UInt8, count: Int) -> [[UInt8]] {
        (0..<count).map { i in
            let size = max(3, (i * 97) % 1200 + 1)
            var p = [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: size)
            p[0] = 0x17
            p[1] = tag
            p[2] = UInt8(i)
            return p
        }
    }

    /// Sends `count` payloads each way and waits until both sides have all of them.
    static func exchange(_ d: LoopbackICEDriver, _ a: RealPeer, _ b: RealPeer, count: Int) -> (fromA: [[UInt8]], fromB: [[UInt8]]) {
        let fromA = payloads(tag: 0xA, count: count), fromB = payloads(tag: 0xB, count: count)
        a.received = []
        b.received = []
        for (x, y) in zip(fromA, fromB) {
            #expect(a.agent.send(x, now: d.now))
            #expect(b.agent.send(y, now: d.now))
            d.flush()
        }
        d.run(timeout: .seconds(5)) { a.received.count >= count && b.received.count >= count }
        return (fromA, fromB)
    }

    static func failureContext(_ d: LoopbackICEDriver, _ server: CoturnServer?) -> Comment {
        Comment(rawValue: d.log.joined(separator: "\n") + (server.map { "\n--- coturn log ---\n" + $0.log } ?? ""))
    }

    @Test func hostToHostOverRealUDP() throws {
        let d = LoopbackICEDriver()
        let a = try d.addPeer("A", role: .controlling, configuration: .init(), seed: 11)
        let b = try d.addPeer("B", role: .controlled, configuration: .init(), seed: 12)
        d.pair(a, b)
        let up = d.run(timeout: .seconds(5)) { a.isUp && b.isUp }
        let connectTime = d.elapsed
        print("ICERealSocketTests.hostToHostOverRealUDP connected=\(up) after \(connectTime)")
        #expect(up, Self.failureContext(d, nil))
        let sa = try #require(a.agent.selectedPair), sb = try #require(b.agent.selectedPair)
        let aAddr = try #require(a.udp[1]?.address), bAddr = try #require(b.udp[1]?.address)
        #expect(sa.local.type == .host && sa.local.address == aAddr && sa.remote.address == bAddr)
        #expect(sb.local.type == .host && sb.local.address == bAddr && sb.remote.address == aAddr)
        let (fromA, fromB) = Self.exchange(d, a, b, count: 40)
        #expect(Set(b.received.map(\.bytes)) == Set(fromA))
        #expect(Set(a.received.map(\.bytes)) == Set(fromB))
        #expect(a.received.allSatisfy { $0.from == bAddr } && b.received.allSatisfy { $0.from == aAddr })
        d.closeAll()
        #expect(a.agent.connectionState == .closed)
        print("ICERealSocketTests.hostToHostOverRealUDP total \(d.elapsed)")
    }

    @Test(arguments: ["udp", "tcp", "tls"])
    func relayOnlyThroughCoturn(_ transport: String) throws {
        let t0 = MonotonicClock.now()
        let server = try CoturnServer(tls: transport == "tls")
        print("ICERealSocketTests.relayOnlyThroughCoturn(\(transport)) coturn ready in \(MonotonicClock.now() - t0)")
        defer {
            let t1 = MonotonicClock.now()
            server.stop()
            print("ICERealSocketTests.relayOnlyThroughCoturn(\(transport)) coturn stopped in \(MonotonicClock.now() - t1)")
        }
        print("ICERealSocketTests.relayOnlyThroughCoturn(\(transport)) coturn: \(server.commandLine.joined(separator: " "))")
        let url: String
        var config = ICEAgentConfiguration(relayOnly: true)
        switch transport {
        case "udp": url = "turn:127.0.0.1:\(server.port)?transport=udp"
        case "tcp": url = "turn:127.0.0.1:\(server.port)?transport=tcp"
        default:
            url = "turns:127.0.0.1:\(server.tlsPort ?? 0)"
            config.turnTLSVerification = .trustedCertificatesPEM(server.certificatePEM ?? "")
        }
        config.servers = [ICEServer(urls: [url], username: server.username, credential: server.password)]

        let d = LoopbackICEDriver()
        let a = try d.addPeer("A", role: .controlling, configuration: config, seed: 21)
        let b = try d.addPeer("B", role: .controlled, configuration: config, seed: 22)
        d.pair(a, b)
        let up = d.run(timeout: .seconds(10)) { a.isUp && b.isUp }
        let connectTime = d.elapsed
        print("ICERealSocketTests.relayOnlyThroughCoturn(\(transport)) connected=\(up) after \(connectTime)")
        #expect(up, Self.failureContext(d, server))
        #expect(a.candidateErrors.isEmpty && b.candidateErrors.isEmpty, Self.failureContext(d, server))

        // Each side gathered exactly one candidate: a UDP relay on coturn's relay address.
        for p in [a, b] {
            #expect(p.localCandidates.count == 1, "\(p.name): \(p.localCandidates)")
            let c = try #require(p.localCandidates.first)
            #expect(c.type == .relay && c.transport == "udp" && c.address.ip == Self.loopback)
            #expect((49152...65535).contains(c.address.port), "relay port outside coturn's range: \(c.address)")
            #expect(!p.udp.values.contains { $0.address == c.address })
            #expect(c.relatedAddress != nil)
        }
        let relayA = try #require(a.localCandidates.first?.address), relayB = try #require(b.localCandidates.first?.address)
        let sa = try #require(a.agent.selectedPair), sb = try #require(b.agent.selectedPair)
        #expect(sa.local.type == .relay && sa.local.address == relayA && sa.remote.address == relayB)
        #expect(sb.local.type == .relay && sb.local.address == relayB && sb.remote.address == relayA)

        // Data both ways, through coturn: it arrives from the other side's relayed address.
        let (fromA, fromB) = Self.exchange(d, a, b, count: 40)
        #expect(Set(b.received.map(\.bytes)) == Set(fromA), Self.failureContext(d, server))
        #expect(Set(a.received.map(\.bytes)) == Set(fromB), Self.failureContext(d, server))
        // Over UDP the datagrams come from coturn's address; over a stream the agent reports the
        // peer address coturn relayed from (ChannelData channel / Data indication peer).
        let (sourceA, sourceB) = transport == "udp" ? (server.address, server.address) : (relayB, relayA)
        #expect(a.received.allSatisfy { $0.from == sourceA } && b.received.allSatisfy { $0.from == sourceB },
                "sources: \(Set(a.received.map(\.from))) \(Set(b.received.map(\.from))); relays \(relayA) \(relayB)")

        if transport != "udp" {
            // Client↔server traffic went over the one TCP connection only.
            for p in [a, b] {
                #expect(p.streamsOpened.count == 1 && p.streamsOpened.allSatisfy { $0 >= ICEAgent.firstStreamID })
                #expect(p.udpBytesSent == 0, "\(p.name) sent \(p.udpBytesSent) bytes over UDP")
                #expect(p.streamBytesSent > fromA.reduce(0) { $0 + $1.count })
            }
        }
        #expect(server.isRunning)
        d.closeAll()
        for p in [a, b] {
            #expect(p.streamsClosedByAgent == p.streamsOpened)
            #expect(p.streams.isEmpty)
        }
        print("ICERealSocketTests.relayOnlyThroughCoturn(\(transport)) total \(d.elapsed)")
    }

    /// `turns:` with a certificate the client does not trust (system roots only), or trusts but
    /// for another name: no relay candidate, a 701 that says why, and the connection is closed.
    /// The same server is accepted when verification is off.
    @Test func tlsRejectsUntrustedCertificate() throws {
        let server = try CoturnServer(tls: true)
        defer { server.stop() }
        let url = "turns:127.0.0.1:\(server.tlsPort ?? 0)"
        var config = ICEAgentConfiguration(relayOnly: true)
        config.servers = [ICEServer(urls: [url], username: server.username, credential: server.password)]
        config.turnTLSVerification = .systemRoots
        var disabled = config
        disabled.turnTLSVerification = .disabled

        // Trusting the certificate is not enough: it names 127.0.0.1, not the URL's host name.
        var wrongName = config
        wrongName.servers = [ICEServer(urls: ["turns:turn.example:\(server.tlsPort ?? 0)"], username: server.username, credential: server.password)]
        wrongName.resolver = { name in name == "turn.example" ? [IPAddress("127.0.0.1")!] : [] }
        wrongName.turnTLSVerification = .trustedCertificatesPEM(server.certificatePEM ?? "")

        let d = LoopbackICEDriver()
        let a = try d.addPeer("A", role: .controlling, configuration: config, seed: 31)
        let b = try d.addPeer("B", role: .controlled, configuration: disabled, seed: 32)
        let c = try d.addPeer("C", role: .controlled, configuration: wrongName, seed: 33)
        d.pair(a, b)
        c.agent.startGathering(now: d.now)
        d.run(timeout: .seconds(5)) { a.gatheringComplete && b.gatheringComplete && c.gatheringComplete }
        print("ICERealSocketTests.tlsRejectsUntrustedCertificate gathered after \(d.elapsed)")
        #expect(a.gatheringComplete && b.gatheringComplete && c.gatheringComplete, Self.failureContext(d, server))
        print("ICERealSocketTests.tlsRejectsUntrustedCertificate errors: A \(a.candidateErrors) C \(c.candidateErrors)")
        #expect(a.localCandidates.isEmpty)
        #expect(a.candidateErrors.count == 1 && a.candidateErrors.first?.code == 701)
        #expect(a.candidateErrors.first?.text.contains("certificate") == true, "\(a.candidateErrors)")
        #expect(a.streamsClosedByAgent == a.streamsOpened && a.streams.isEmpty)
        #expect(c.localCandidates.isEmpty && c.candidateErrors.first?.code == 701)
        #expect(c.candidateErrors.first?.text.contains("certificate") == true, "\(c.candidateErrors)")
        #expect(b.candidateErrors.isEmpty)
        #expect(b.localCandidates.count == 1 && b.localCandidates.first?.type == .relay, Self.failureContext(d, server))
        d.closeAll()
    }
}
