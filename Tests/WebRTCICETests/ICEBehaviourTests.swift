import Testing
import WebRTCCore
import WebRTCSTUN
@testable import WebRTCICE
import WebRTCTestSupport

@Suite struct ICEBehaviourTests {
    static func lan(seed: UInt64, roleB: ICERole = .controlled, link: LinkConditions = LinkConditions(delay: .milliseconds(20))) -> (ICEHarness, SimPeer, SimPeer) {
        let h = ICEHarness(seed: seed)
        h.net.defaultLink = link
        let a = h.addPeer("A", role: .controlling, addresses: ["10.0.0.1:5000"])
        let b = h.addPeer("B", role: roleB, addresses: ["10.0.0.2:6000"])
        return (h, a, b)
    }

    static func isUp(_ p: SimPeer) -> Bool { [.connected, .completed].contains(p.state) }

    @Test func roleConflictResolves() throws {
        let seed: UInt64 = 3001
        print("ICEBehaviourTests.roleConflictResolves seed=\(seed)")
        let (h, a, b) = Self.lan(seed: seed, roleB: .controlling)
        h.pair(a, b)
        h.run(until: .seconds(5), stop: ICEHarness.bothUp(a, b))
        #expect(Self.isUp(a) && Self.isUp(b))
        #expect((a.agent.role == .controlling) != (b.agent.role == .controlling), "exactly one side ends controlling")
        let loser = a.agent.tieBreaker > b.agent.tieBreaker ? b : a
        #expect(loser.agent.role == .controlled)
    }

    @Test func peerReflexiveOnlyAndEarlyChecks() throws {
        let seed: UInt64 = 3002
        print("ICEBehaviourTests.peerReflexiveOnlyAndEarlyChecks seed=\(seed)")
        let (h, a, b) = Self.lan(seed: seed)
        a.other = b
        b.other = a
        b.signalCandidates = false  // A never learns B's candidates: B is reached as peer-reflexive (like an mDNS host)
        a.agent.addRemoteCandidate(mdnsName: "6f1c2b8e-0000-4000-8000-000000000000.local", port: 6000, priority: 2_130_706_431, foundation: "1", now: h.now)
        b.agent.setRemoteCredentials(ufrag: a.ufrag, password: a.password, now: h.now)
        a.agent.startGathering(now: h.now)
        b.agent.startGathering(now: h.now)
        // A answers B's checks before it knows B's credentials (RFC 8445 §7.3).
        h.run(until: .milliseconds(300))
        #expect(b.sent.count > 0)
        #expect(a.agent.selectedPair == nil)
        a.agent.setRemoteCredentials(ufrag: b.ufrag, password: b.password, now: h.now)
        h.run(until: .seconds(3), stop: ICEHarness.bothUp(a, b))
        #expect(Self.isUp(a) && Self.isUp(b))
        #expect(a.agent.selectedPair?.remote.type == .prflx)
        #expect(a.agent.selectedPair?.remote.address == addr("10.0.0.2:6000"))
        #expect(try #require(a.firstTime(of: .connected)) < .milliseconds(500))
    }

    @Test(arguments: [4001, 4002, 4003, 4004, 4005] as [UInt64])
    func twentyPercentLossConnects(_ seed: UInt64) throws {
        print("ICEBehaviourTests.twentyPercentLossConnects seed=\(seed)")
        let (h, a, b) = Self.lan(seed: seed, link: LinkConditions(loss: 0.2, delay: .milliseconds(30), jitter: .milliseconds(10)))
        h.pair(a, b)
        h.run(until: .seconds(15), stop: ICEHarness.bothUp(a, b))
        #expect(Self.isUp(a) && Self.isUp(b), "A \(a.state) B \(b.state) at \(h.now)")
        #expect(h.now < .seconds(10))
    }

    @Test func sameSeedSameTranscript() {
        let seed: UInt64 = 4100
        print("ICEBehaviourTests.sameSeedSameTranscript seed=\(seed)")
        func once() -> [String] {
            let (h, a, b) = Self.lan(seed: seed, link: LinkConditions(loss: 0.2, delay: .milliseconds(30), jitter: .milliseconds(10), duplicate: 0.05, reorder: 0.1))
            h.pair(a, b)
            h.run(until: .seconds(20))
            return h.transcript
        }
        let first = once(), second = once()
        #expect(first == second)
        #expect(first.count > 5)
    }

    @Test func consentLossThenFailedAt30s() throws {
        let seed: UInt64 = 5001
        print("ICEBehaviourTests.consentLossThenFailedAt30s seed=\(seed)")
        let (h, a, b) = Self.lan(seed: seed)
        h.pair(a, b)
        h.run(until: .seconds(2), stop: ICEHarness.bothUp(a, b))
        h.run(for: .seconds(20))
        #expect(!a.states.contains { $0.1 == .disconnected }, "no flapping while the path is fine")
        #expect(!b.states.contains { $0.1 == .disconnected })
        let cut = h.now
        let lastConsent = try #require(a.agent.lastConsentAt)
        h.net.setLink(from: ip("10.0.0.1"), to: ip("10.0.0.2"), LinkConditions(blocked: true))
        h.net.setLink(from: ip("10.0.0.2"), to: ip("10.0.0.1"), LinkConditions(blocked: true))
        h.run(for: .seconds(40), stop: { _ in a.state == .failed && b.state == .failed })
        let disc = try #require(a.states.first { $0.1 == .disconnected && $0.0 >= cut }?.0)
        #expect(disc - cut >= .milliseconds(2500) && disc - cut <= .seconds(9), "disconnected \(disc - cut) after the cut")
        let failed = try #require(a.firstTime(of: .failed))
        #expect(failed - lastConsent >= .seconds(30) && failed - lastConsent < .seconds(30.1), "failed \(failed - lastConsent) after the last consent")
        // Consent checks: fresh transaction ids every 4–6 s.
        var firstSend: [[UInt8]: Instant] = [:]
        var order: [[UInt8]] = []
        for (t, _, _, bytes) in a.sent where t >= cut {
            guard let m = STUNMessage.decode(bytes), m.cls == .request else { continue }
            if firstSend[m.transactionID] == nil { firstSend[m.transactionID] = t; order.append(m.transactionID) }
        }
        let times = order.compactMap { firstSend[$0] }
        #expect(times.count >= 4)
        for (x, y) in zip(times, times.dropFirst()) {
            #expect(y - x >= .seconds(4) && y - x <= .seconds(6), "consent interval \(y - x)")
        }
        // After failed, nothing is sent.
        let count = a.sent.count
        h.run(for: .seconds(30))
        #expect(a.sent.count == count)
        #expect(!a.agent.send([0x17], now: h.now))
    }

    @Test func consentRecoversBefore30s() throws {
        let seed: UInt64 = 5002
        print("ICEBehaviourTests.consentRecoversBefore30s seed=\(seed)")
        let (h, a, b) = Self.lan(seed: seed)
        h.pair(a, b)
        h.run(until: .seconds(2), stop: ICEHarness.bothUp(a, b))
        h.run(for: .seconds(5))
        let cut = h.now
        h.net.setLink(from: ip("10.0.0.1"), to: ip("10.0.0.2"), LinkConditions(blocked: true))
        h.net.setLink(from: ip("10.0.0.2"), to: ip("10.0.0.1"), LinkConditions(blocked: true))
        h.run(for: .seconds(12))
        #expect(a.state == .disconnected && b.state == .disconnected)
        h.net.setLink(from: ip("10.0.0.1"), to: ip("10.0.0.2"), LinkConditions(delay: .milliseconds(20)))
        h.net.setLink(from: ip("10.0.0.2"), to: ip("10.0.0.1"), LinkConditions(delay: .milliseconds(20)))
        h.run(for: .seconds(10), stop: ICEHarness.bothUp(a, b))
        #expect(Self.isUp(a) && Self.isUp(b))
        #expect(h.now - cut < .seconds(30))
        h.run(for: .seconds(60))
        #expect(a.firstTime(of: .failed) == nil && b.firstTime(of: .failed) == nil)
        #expect(a.agent.send([0x17, 1], now: h.now))
        h.run(for: .seconds(1))
        #expect(b.received.contains([0x17, 1]))
    }

    @Test func restartKeepsDataPath() throws {
        let seed: UInt64 = 6001
        print("ICEBehaviourTests.restartKeepsDataPath seed=\(seed)")
        let (h, a, b) = Self.lan(seed: seed)
        h.pair(a, b)
        h.run(until: .seconds(2), stop: ICEHarness.bothUp(a, b))
        let firstPairs = (a.selected.count, b.selected.count)
        var sentSeq: [UInt8] = []
        for k in 0..<200 {
            if k == 50 {
                let rnd = RandomSource(seed: seed + 1)
                let (ua, pa, ub, pb) = (rnd.iceString(4), rnd.iceString(22), rnd.iceString(4), rnd.iceString(22))
                a.agent.restart(localUfrag: ua, localPassword: pa, now: h.now)
                b.agent.restart(localUfrag: ub, localPassword: pb, now: h.now)
                a.agent.setRemoteCredentials(ufrag: ub, password: pb, now: h.now)
                b.agent.setRemoteCredentials(ufrag: ua, password: pa, now: h.now)
            }
            if a.agent.send([0x17, UInt8(k)], now: h.now) { sentSeq.append(UInt8(k)) }
            h.run(for: .milliseconds(20))
        }
        h.run(for: .seconds(1))
        #expect(sentSeq.count == 200, "send never failed during the restart")
        let got = Set(b.received.filter { $0.first == 0x17 }.compactMap { $0.count == 2 ? $0[1] : nil })
        #expect(got == Set(sentSeq), "missing \(Set(sentSeq).subtracting(got).sorted())")
        #expect(a.selected.count > firstPairs.0 && b.selected.count > firstPairs.1, "a new pair was selected after the restart")
        #expect(Self.isUp(a) && Self.isUp(b))
        #expect(!a.states.contains { $0.1 == .disconnected || $0.1 == .failed })
    }

    @Test func unauthenticatedFloodKeepsNoState() throws {
        let seed: UInt64 = 7001
        print("ICEBehaviourTests.unauthenticatedFloodKeepsNoState seed=\(seed)")
        let (h, a, b) = Self.lan(seed: seed)
        h.pair(a, b)
        h.run(until: .seconds(2), stop: ICEHarness.bothUp(a, b))
        h.run(for: .seconds(1))
        let before = a.agent.tableSizes
        let dropsBefore = a.agent.drops.total
        let rnd = RandomSource(seed: seed)
        for i in 0..<100_000 {
            let from = TransportAddress(ip: .v4(UInt32(truncatingIfNeeded: rnd.next())), port: UInt16(truncatingIfNeeded: rnd.next()))
            var m = STUNMessage(method: .binding, cls: .request, random: rnd,
                                attributes: [.username("\(a.ufrag):\(rnd.iceString(4))"), .priority(UInt32(truncatingIfNeeded: rnd.next())),
                                             .iceControlling(rnd.next()), .useCandidate])
            let bytes: [UInt8]
            switch i % 4 {
            case 0: bytes = m.encode(integrityKey: rnd.bytes(16), fingerprint: true)  // wrong password
            case 1: bytes = m.encode(fingerprint: true)  // no integrity
            case 2: m.attributes[0] = .username("zzzz:\(b.ufrag)"); bytes = m.encode(integrityKey: Array(a.password.utf8), fingerprint: true)  // wrong ufrag
            default: bytes = [0x17, 0xFE, 0xFD] + rnd.bytes(rnd.uniform(0...60))  // DTLS-looking junk from strangers
            }
            #expect(a.agent.handleDatagram(bytes, from: from, socket: 1, now: h.now) == nil)
        }
        #expect(a.agent.pollTransmit() == nil, "nothing answered")
        let after = a.agent.tableSizes
        #expect(before == after, "tables grew: \(before) → \(after)")
        #expect(a.agent.drops.total - dropsBefore == 100_000)
        #expect(a.agent.connectionState == .completed || a.agent.connectionState == .connected)
        h.run(for: .seconds(20))
        #expect(Self.isUp(a) && Self.isUp(b))
        #expect(!a.states.contains { $0.1 == .disconnected })
        #expect(a.agent.send([0x17, 0x42], now: h.now))
        h.run(for: .seconds(1))
        #expect(b.received.contains([0x17, 0x42]))
    }
}
