import Testing
import WebRTCCore
import WebRTCSTUN
@testable import WebRTCICE
import WebRTCTestSupport

/// Remote candidates from a hostile peer: bounds, duplicates and unusable targets, and where
/// non-STUN payloads may come from.
@Suite struct ICEHardeningTests {
    static func host(_ a: String, foundation: String = "1") -> ICECandidate {
        ICECandidate(foundation: foundation, priority: 2_130_706_431, address: addr(a), type: .host)
    }

    static func upLan(seed: UInt64) -> (ICEHarness, SimPeer, SimPeer) {
        let (h, a, b) = ICEBehaviourTests.lan(seed: seed)
        h.pair(a, b)
        h.run(until: .seconds(2), stop: ICEHarness.bothUp(a, b))
        return (h, a, b)
    }

    @Test func exactDuplicatesCostNothing() {
        let (h, a, _) = ICEBehaviourTests.lan(seed: 8001)
        let c = Self.host("10.0.0.7:7000")
        a.agent.addRemoteCandidate(c, now: h.now)
        let after1 = a.agent.tableSizes
        #expect(after1.remotes == 1 && after1.pairs == 1)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<20_000 { a.agent.addRemoteCandidate(c, now: h.now) }
        }
        #expect(a.agent.tableSizes == after1, "no remote or pair after the first")
        #expect(a.agent.drops[ICEDropReason.duplicateRemoteCandidate] == 20_000)
        #expect(elapsed < .seconds(2), "20,000 duplicates took \(elapsed)")
        // Same address with another foundation or priority is still the same candidate.
        var other = c
        other.foundation = "zz"
        other.priority = 5
        a.agent.addRemoteCandidate(other, now: h.now)
        #expect(a.agent.tableSizes == after1)
    }

    @Test func capIsPerGeneration() throws {
        let (h, a, b) = Self.upLan(seed: 8002)
        #expect(a.agent.selectedPair != nil)
        let rnd = RandomSource(seed: 8002)
        a.agent.restart(localUfrag: rnd.iceString(4), localPassword: rnd.iceString(22), now: h.now)
        a.agent.setRemoteCredentials(ufrag: rnd.iceString(4), password: rnd.iceString(22), now: h.now)
        let cap = a.agent.configuration.maxRemoteCandidates
        for k in 0..<cap { a.agent.addRemoteCandidate(Self.host("10.1.0.\(k + 1):7000"), now: h.now) }
        // The selected pair's remote of the old generation does not use up the new one's budget.
        #expect(a.agent.drops[ICEDropReason.tooManyRemoteCandidates] == 0)
        #expect(a.agent.tableSizes.remotes == cap + 1)
        a.agent.addRemoteCandidate(Self.host("10.1.1.1:7000"), now: h.now)
        #expect(a.agent.drops[ICEDropReason.tooManyRemoteCandidates] == 1)
        #expect(a.agent.tableSizes.remotes == cap + 1)
        _ = b
    }

    static let badTargets: [(TransportAddress, String)] = [
        (addr("192.0.2.1:0"), ICEDropReason.remotePortZero),
        (addr("255.255.255.255:5000"), ICEDropReason.remoteBroadcast),
        (addr("224.0.0.251:5353"), ICEDropReason.remoteMulticast),
        (addr("239.255.255.250:1900"), ICEDropReason.remoteMulticast),
        (addr("0.0.0.0:5000"), ICEDropReason.remoteUnspecified),
        (TransportAddress(ip: ip("::"), port: 5000), ICEDropReason.remoteUnspecified),
        (TransportAddress(ip: ip("ff02::1"), port: 5000), ICEDropReason.remoteMulticast),
        (TransportAddress(ip: ip("fe80::1"), port: 5000), ICEDropReason.remoteLinkLocalWithoutScope),
        (TransportAddress(ip: ip("febf::1"), port: 5000), ICEDropReason.remoteLinkLocalWithoutScope),
        (TransportAddress(ip: ip("::ffff:255.255.255.255"), port: 5000), ICEDropReason.remoteBroadcast),
    ]

    @Test func unusableTargetsAreDroppedAndCounted() {
        let (h, a, _) = ICEBehaviourTests.lan(seed: 8003)
        for (target, reason) in Self.badTargets {
            let before = a.agent.drops[reason]
            a.agent.addRemoteCandidate(ICECandidate(foundation: "1", priority: 1, address: target, type: .host), now: h.now)
            #expect(a.agent.drops[reason] == before + 1, "\(target) not counted as \(reason)")
        }
        #expect(a.agent.tableSizes.remotes == 0 && a.agent.tableSizes.pairs == 0)
        // Loopback and ordinary unicast stay usable.
        a.agent.addRemoteCandidate(Self.host("127.0.0.1:5000"), now: h.now)
        a.agent.addRemoteCandidate(Self.host("10.0.0.9:5000"), now: h.now)
        a.agent.addRemoteCandidate(ICECandidate(foundation: "1", priority: 1, address: TransportAddress(ip: ip("fec0::1"), port: 5000), type: .host), now: h.now)
        #expect(a.agent.tableSizes.remotes == 3)
    }

    @Test func payloadOnlyFromCheckedSources() throws {
        let (h, a, b) = Self.upLan(seed: 8004)
        // Signalled after selection: never checked, so it proved nothing.
        a.agent.addRemoteCandidate(Self.host("10.0.0.99:7000"), now: h.now)
        let dtls: [UInt8] = [0x16, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
        #expect(a.agent.handleDatagram(dtls, from: addr("10.0.0.99:7000"), socket: 1, now: h.now) == nil)
        #expect(a.agent.drops[ICEDropReason.uncheckedSource] == 1)
        let bAddress = try #require(a.agent.selectedPair?.remote.address)
        #expect(bAddress == b.sockets[0].address)
        #expect(a.agent.handleDatagram(dtls, from: bAddress, socket: 1, now: h.now) == dtls)
        // The controlled side accepts the controlling side's address: it sent authenticated checks.
        #expect(b.agent.handleDatagram(dtls, from: a.sockets[0].address, socket: 1, now: h.now) == dtls)
    }

    /// Cuts both directions 5 s after connecting; during the cut, `junk` runs every 500 ms.
    /// Returns when A went `disconnected`, relative to the cut.
    static func disconnectAfterCut(seed: UInt64, junk: (SimPeer, SimPeer, Instant) -> Void) throws -> Duration? {
        let (h, a, b) = upLan(seed: seed)
        h.run(for: .seconds(5))
        let cut = h.now
        h.net.setLink(from: ip("10.0.0.1"), to: ip("10.0.0.2"), LinkConditions(blocked: true))
        h.net.setLink(from: ip("10.0.0.2"), to: ip("10.0.0.1"), LinkConditions(blocked: true))
        for _ in 0..<24 {
            junk(a, b, h.now)
            h.run(for: .milliseconds(500))
        }
        return a.states.first { $0.1 == .disconnected && $0.0 >= cut }.map { $0.0 - cut }
    }

    @Test func junkDoesNotMaskDisconnected() throws {
        let seed: UInt64 = 8005
        let quiet = try #require(try Self.disconnectAfterCut(seed: seed) { _, _, _ in })
        var accepted = 0
        let noisy = try Self.disconnectAfterCut(seed: seed) { a, b, now in
            // DTLS-looking junk with the remote's (spoofable) source address.
            let junk: [UInt8] = [0x17, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 1, 0x42]
            if a.agent.handleDatagram(junk, from: b.sockets[0].address, socket: 1, now: now) != nil { accepted += 1 }
        }
        #expect(accepted == 24, "junk from the checked address still reaches DTLS, which authenticates it")
        let disconnected = try #require(noisy, "junk kept A out of disconnected")
        #expect(disconnected - quiet <= .seconds(1) && quiet - disconnected <= .seconds(1), "quiet \(quiet), with junk \(disconnected)")
    }

    @Test func authenticatedActivityKeepsThePairAlive() throws {
        let d = try Self.disconnectAfterCut(seed: 8006) { a, b, now in
            a.agent.noteAuthenticatedActivity(from: b.sockets[0].address, now: now)
        }
        #expect(d == nil, "DTLS-authenticated traffic counts as liveness")
        // From an address that proved nothing it does not.
        let d2 = try Self.disconnectAfterCut(seed: 8006) { a, _, now in
            a.agent.noteAuthenticatedActivity(from: addr("10.0.0.99:7000"), now: now)
        }
        #expect(d2 != nil)
    }
}
