import Testing
import WebRTCCore
import WebRTCTestSupport
@testable import WebRTCDTLS
@testable import WebRTCSCTP

extension SCTPSuite {
    @Suite(.serialized) struct FlowControlOverDTLS {
        /// The receive budget holds the sender back through the real DTLS stack too: the server
        /// never consumes until the client's buffered amount has stalled, then consumes everything.
        @Test func budgetClosesTheWindowThroughDTLS() throws {
            let link = try DTLSSCTPLink(seed: 0xF10_C0DE, conditions: LinkConditions(delay: .milliseconds(2)))
            let c = link.client, s = link.server
            s.sctp.reportsConsumption = true
            s.sctp.receiveBudget = 512 * 1024
            let id = try c.sctp.openChannel(.init(label: "flow"))
            #expect(link.connect())
            #expect(link.run(maxWall: .seconds(5)) { c.opened(id) })
            let total = 128   // 8 MiB
            for i in 0..<total { try c.sctp.send(.binary(ReceiveFlowControl.message(i)), on: id) }
            let bound = s.sctp.receiveBudget + Int(SCTPTuning.receiveBufferBytes) + 64 * 1024
            var peak = 0
            #expect(link.run(maxWall: .seconds(5)) { peak = max(peak, s.sctp.unconsumedBytes); return s.sctp.isReceivePaused })
            link.run(maxWall: .milliseconds(300)) { peak = max(peak, s.sctp.unconsumedBytes); return false }
            let stalledAt = c.sctp.bufferedAmount(of: id)
            #expect(peak <= bound)
            #expect(stalledAt >= total * 64 * 1024 - bound - Int(SCTPTuning.bufferBytes))
            #expect(s.messageCount(on: id) * 64 * 1024 <= bound)

            var next = 0
            var intact = true
            #expect(link.run(maxWall: .seconds(10)) {
                let got = s.messages(on: id)
                while next < got.count {
                    guard case .binary(let bytes) = got[next] else { intact = false; next += 1; continue }
                    intact = intact && ReceiveFlowControl.same(bytes, ReceiveFlowControl.message(next))
                    s.sctp.consumed(bytes: bytes.count, on: id)
                    next += 1
                }
                peak = max(peak, s.sctp.unconsumedBytes)
                return next >= total
            })
            #expect(next == total && intact)
            #expect(peak <= bound)
            #expect(c.dtlsFailures.isEmpty && s.dtlsFailures.isEmpty)
        }
    }
}
