import Testing
import WebRTCCore
@testable import WebRTCICE
import WebRTCTestSupport

/// Two peers behind NATs, a STUN server and optionally a TURN server, all simulated.
@Suite struct ICENATTests {
    static let stun = "198.51.100.1:3478"
    static let turn = "198.51.100.2:3478"

    static func topology(seed: UInt64, nat: NATBehavior, turn withTURN: Bool, relayOnly: Bool = false) -> (ICEHarness, SimPeer, SimPeer, SimulatedTURNServer?) {
        let h = ICEHarness(seed: seed)
        h.net.addNAT(publicIP: ip("203.0.113.1"), behavior: nat, privateIPs: [ip("192.168.1.10")])
        h.net.addNAT(publicIP: ip("203.0.113.2"), behavior: nat, privateIPs: [ip("192.168.2.20")])
        h.net.defaultLink = LinkConditions(delay: .milliseconds(20), jitter: .milliseconds(5))
        h.net.attachService(at: addr(stun), SimulatedSTUNServer())
        var servers = [ICEServer(urls: ["stun:\(stun)"])]
        var turnServer: SimulatedTURNServer?
        if withTURN {
            let t = SimulatedTURNServer(address: addr(turn), username: "user", password: "secret")
            h.net.attachService(at: addr(turn), t)
            servers.append(ICEServer(urls: ["turn:\(turn)?transport=udp"], username: "user", credential: "secret"))
            turnServer = t
        }
        var config = ICEAgentConfiguration(servers: servers, relayOnly: relayOnly)
        config.gatheringTimeout = .seconds(3)
        let a = h.addPeer("A", role: .controlling, addresses: ["192.168.1.10:5000"], configuration: config)
        let b = h.addPeer("B", role: .controlled, addresses: ["192.168.2.20:6000"], configuration: config)
        h.pair(a, b)
        return (h, a, b, turnServer)
    }

    @Test func fullConeViaServerReflexive() throws {
        let seed: UInt64 = 2001
        print("ICENATTests.fullConeViaServerReflexive seed=\(seed)")
        let (h, a, b, _) = Self.topology(seed: seed, nat: .fullCone, turn: false)
        h.run(until: .seconds(10), stop: ICEHarness.bothUp(a, b))
        #expect([.connected, .completed].contains(a.state) && [.connected, .completed].contains(b.state))
        #expect(a.localCandidates.contains { $0.type == .srflx && $0.relatedAddress == addr("192.168.1.10:5000") })
        #expect(a.agent.selectedPair?.remote.address.ip == ip("203.0.113.2"))
        #expect(a.gathering.last == .complete)
        _ = a.agent.send([0x17, 9], now: h.now)
        h.run(for: .seconds(1))
        #expect(b.received.contains([0x17, 9]))
    }

    @Test func symmetricWithoutTURNFails() throws {
        let seed: UInt64 = 2002
        print("ICENATTests.symmetricWithoutTURNFails seed=\(seed)")
        let (h, a, b, _) = Self.topology(seed: seed, nat: .symmetric, turn: false)
        h.run(until: .seconds(40), stop: { _ in a.state == .failed && b.state == .failed })
        let failA = try #require(a.firstTime(of: .failed))
        let failB = try #require(b.firstTime(of: .failed))
        #expect(failA < .seconds(15) && failB < .seconds(15), "failed at \(failA) / \(failB)")
        #expect(a.firstTime(of: .connected) == nil)
        // Nothing is sent after failure.
        let sentAfter = a.sent.filter { $0.0 > failA }.count
        h.run(for: .seconds(30))
        #expect(a.sent.filter { $0.0 > failA }.count == sentAfter)
        #expect(sentAfter == 0)
    }

    @Test func symmetricViaTURN() throws {
        let seed: UInt64 = 2003
        print("ICENATTests.symmetricViaTURN seed=\(seed)")
        let (h, a, b, turn) = Self.topology(seed: seed, nat: .symmetric, turn: true)
        h.run(until: .seconds(20), stop: ICEHarness.bothUp(a, b))
        #expect([.connected, .completed].contains(a.state) && [.connected, .completed].contains(b.state))
        #expect(a.localCandidates.contains { $0.type == .relay })
        let sel = try #require(a.agent.selectedPair)
        #expect(sel.local.type == .relay || sel.remote.type == .relay)
        h.run(for: .seconds(1))
        for i in 0..<5 { #expect(a.agent.send([0x17, UInt8(i)], now: h.now)) }
        h.run(for: .seconds(2))
        #expect((0..<5).allSatisfy { i in b.received.contains([0x17, UInt8(i)]) })
        #expect((turn?.channelDataRelayed ?? 0) > 0, "the data path uses a bound channel")
        // Allocation refresh keeps the relay alive past its lifetime (600 s).
        print(h.transcript.joined(separator: "\n"))
        h.run(for: .seconds(700))
        #expect([.connected, .completed].contains(a.state), "state \(a.state)")
        #expect(a.agent.send([0x17, 0x77], now: h.now))
        h.run(for: .seconds(1))
        #expect(b.received.contains([0x17, 0x77]))
    }

    @Test func relayOnlyUsesOnlyRelay() throws {
        let seed: UInt64 = 2004
        print("ICENATTests.relayOnlyUsesOnlyRelay seed=\(seed)")
        let (h, a, b, _) = Self.topology(seed: seed, nat: .fullCone, turn: true, relayOnly: true)
        h.run(until: .seconds(20), stop: ICEHarness.bothUp(a, b))
        #expect([.connected, .completed].contains(a.state))
        #expect(a.localCandidates.allSatisfy { $0.type == .relay } && !a.localCandidates.isEmpty)
        #expect(a.agent.selectedPair?.local.type == .relay)
    }

    @Test func unreachableServersStillCompleteGathering() throws {
        let seed: UInt64 = 2005
        print("ICENATTests.unreachableServersStillCompleteGathering seed=\(seed)")
        let h = ICEHarness(seed: seed)
        var config = ICEAgentConfiguration(servers: [ICEServer(urls: ["stun:198.51.100.9:3478", "turn:198.51.100.9:3478", "stun:no.such.host", "turns:198.51.100.9"],
                                                               username: "u", credential: "p")])
        config.gatheringTimeout = .seconds(3)
        let a = h.addPeer("A", role: .controlling, addresses: ["10.0.0.1:5000"], configuration: config)
        a.agent.startGathering(now: h.now)
        h.run(until: .seconds(10), stop: { _ in a.gathering.last == .complete })
        #expect(a.gathering == [.gathering, .complete])
        #expect(h.now <= .seconds(3.1))
        #expect(a.candidateErrors.count == 4 && a.candidateErrors.allSatisfy { $0 == 701 })
        #expect(a.localCandidates.map(\.type) == [.host])
    }
}
