import Testing
import WebRTCCore
@testable import WebRTCICE
import WebRTCTestSupport

@Suite struct ICEConnectTests {
    @Test(arguments: [ICERole.controlling, .controlled])
    func hostToHost(_ roleOfA: ICERole) throws {
        let seed: UInt64 = 1001
        print("ICEConnectTests.hostToHost seed=\(seed) roleOfA=\(roleOfA)")
        let h = ICEHarness(seed: seed)
        let a = h.addPeer("A", role: roleOfA, addresses: ["10.0.0.1:5000"])
        let b = h.addPeer("B", role: roleOfA == .controlling ? .controlled : .controlling, addresses: ["10.0.0.2:6000"])
        h.pair(a, b)
        h.run(until: .seconds(2), stop: ICEHarness.bothUp(a, b))
        #expect(!h.stuck)
        let upA = try #require(a.firstTime(of: .connected) ?? a.firstTime(of: .completed))
        let upB = try #require(b.firstTime(of: .connected) ?? b.firstTime(of: .completed))
        #expect(upA < .milliseconds(100) && upB < .milliseconds(100), "connected at \(upA), \(upB)")
        #expect(a.states.first?.1 == .checking)
        #expect(a.agent.selectedPair?.remote.address == addr("10.0.0.2:6000"))
        #expect(b.agent.selectedPair?.remote.address == addr("10.0.0.1:5000"))
        // Data both ways.
        #expect(a.agent.send([0x17, 1, 2, 3], now: h.now))
        #expect(b.agent.send([0x17, 4, 5, 6], now: h.now))
        h.run(for: .seconds(1))
        #expect(b.received.contains([0x17, 1, 2, 3]))
        #expect(a.received.contains([0x17, 4, 5, 6]))
        let controlling = a.agent.role == .controlling ? a : b
        #expect(controlling.state == .completed)
        #expect((a.agent.role == .controlling) != (b.agent.role == .controlling))
        print(h.transcript.joined(separator: "\n"))
    }
}
