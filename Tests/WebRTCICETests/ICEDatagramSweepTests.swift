import Testing
import WebRTCCore
@testable import WebRTCICE
import WebRTCTestSupport

/// TESTING.md B6: every RFC 7983 range × many lengths, from known and unknown sources, in several
/// states: no trap; each datagram is either returned as application data (known source, not STUN)
/// or counted as a drop; the connection state does not change.
@Suite struct ICEDatagramSweepTests {
    @Test(arguments: ["new", "checking", "connected"])
    func sweep(_ phase: String) throws {
        let seed: UInt64 = 8001
        print("ICEDatagramSweepTests.sweep seed=\(seed) phase=\(phase)")
        let h = ICEHarness(seed: seed)
        h.net.defaultLink = LinkConditions(delay: .milliseconds(20))
        let a = h.addPeer("A", role: .controlling, addresses: ["10.0.0.1:5000"])
        let b = h.addPeer("B", role: .controlled, addresses: ["10.0.0.2:6000"])
        switch phase {
        case "new": break
        case "checking":
            h.pair(a, b)
            h.run(until: .milliseconds(1))
        default:
            h.pair(a, b)
            h.run(until: .seconds(2), stop: ICEHarness.bothUp(a, b))
        }
        let state = a.state
        let rnd = RandomSource(seed: seed)
        let known = addr("10.0.0.2:6000"), stranger = addr("192.0.2.77:1234")
        var cases = 0
        for first: UInt8 in [0, 1, 2, 3, 16, 19, 20, 22, 23, 63, 64, 65, 79, 80, 127, 128, 150, 191, 192, 255] {
            for length in [0, 1, 2, 4, 19, 20, 21, 24, 28, 36, 100, 576, 1200, 1500] {
                for from in [known, stranger] {
                    var bytes = rnd.bytes(length)
                    if length > 0 { bytes[0] = first }
                    if length >= 8, first < 4 { bytes[4...7] = [0x21, 0x12, 0xA4, 0x42] }  // look like STUN
                    let drops = a.agent.drops.total
                    let out = a.agent.handleDatagram(bytes, from: from, socket: 1, now: h.now)
                    let isKnownData = from == known && phase != "new" && length > 0 && !(0...3).contains(first)
                    if out != nil {
                        #expect(isKnownData, "payload returned for \(first)/\(length) from \(from)")
                    } else {
                        #expect(a.agent.drops.total == drops + 1, "no drop counted for \(first)/\(length) from \(from)")
                    }
                    cases += 1
                }
            }
        }
        #expect(a.state == state)
        #expect(cases == 20 * 14 * 2)
    }
}
