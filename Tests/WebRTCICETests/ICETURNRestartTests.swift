import Testing
import WebRTCCore
import WebRTCSTUN
@testable import WebRTCICE
import WebRTCTestSupport

/// TURN permissions and channel bindings belong to remote candidates: an ICE restart that drops
/// those candidates must release them, or a peer that restarts often makes us hold (and refresh)
/// ever more of them.
@Suite struct ICETURNRestartTests {
    @Test func restartsDoNotPileUpPermissions() throws {
        let seed: UInt64 = 8101
        let h = ICEHarness(seed: seed)
        h.net.defaultLink = LinkConditions(delay: .milliseconds(5))
        let server = addr("198.51.100.2:3478")
        h.net.attachService(at: server, SimulatedTURNServer(address: server, username: "user", password: "secret"))
        var config = ICEAgentConfiguration(servers: [ICEServer(urls: ["turn:\(server)?transport=udp"], username: "user", credential: "secret")],
                                           relayOnly: true)
        // Fast pacing and one transmission per check keep the 6,400 checks cheap to simulate.
        config.pacing = .milliseconds(1)
        config.checkMaxTransmissions = 1
        config.connectTimeout = .seconds(3600)  // keep checking the unreachable peers: nothing else ends the run
        let a = h.addPeer("A", role: .controlling, addresses: ["192.0.2.10:5000"], configuration: config)
        let rnd = RandomSource(seed: seed)
        a.agent.setRemoteCredentials(ufrag: rnd.iceString(4), password: rnd.iceString(22), now: h.now)
        a.agent.startGathering(now: h.now)
        h.run(for: .seconds(1))
        #expect(a.localCandidates.contains { $0.type == .relay })

        var most = 0
        var lastIPs: Set<IPAddress> = []
        for r in 0..<100 {
            a.agent.restart(localUfrag: rnd.iceString(4), localPassword: rnd.iceString(22), now: h.now)
            a.agent.setRemoteCredentials(ufrag: rnd.iceString(4), password: rnd.iceString(22), now: h.now)
            lastIPs = []
            for k in 0..<64 {
                let peer = TransportAddress(ip: .v4(0x0A01_0000 | UInt32(r) << 8 | UInt32(k + 1)), port: 7000)
                lastIPs.insert(peer.ip)
                a.agent.addRemoteCandidate(ICECandidate(foundation: "f\(k)", priority: 100, address: peer, type: .host), now: h.now)
            }
            h.run(for: .milliseconds(100))
            most = max(most, a.agent.turnTableSizes.permissions)
        }
        #expect(most <= 65, "up to \(most) permissions held")
        #expect(a.agent.turnTableSizes.permissions >= 32, "checks through the relay made permissions")

        // Only the last generation's permissions are refreshed (at 240 s).
        let end = h.now
        h.run(for: .seconds(300))
        var refreshed: Set<IPAddress> = []
        for (t, _, _, bytes) in a.sent where t > end + .seconds(1) {
            guard let m = STUNMessage.decode(bytes), m.method == .createPermission, m.cls == .request,
                  let peer = m.xorPeerAddress else { continue }
            refreshed.insert(peer.ip)
        }
        #expect(!refreshed.isEmpty)
        #expect(refreshed.isSubset(of: lastIPs), "refreshed \(refreshed.subtracting(lastIPs).count) dropped peers")
    }
}
