import Testing
#if canImport(Glibc)
import Glibc
#endif
import WebRTCCore
@testable import WebRTCSCTP

extension SCTPSuite {
    @Suite(.serialized) struct ReceiveFlowControl {
        /// 64 KiB message `i`: filled with a byte derived from `i`, the first 8 bytes encode `i`.
        static func message(_ i: Int) -> [UInt8] {
            var b = [UInt8](repeating: UInt8(truncatingIfNeeded: i &* 37 &+ 11), count: 64 * 1024)
            for k in 0..<8 { b[k] = UInt8(truncatingIfNeeded: i >> (8 * k)) }
            return b
        }

        static func same(_ x: [UInt8], _ y: [UInt8]) -> Bool {
            x.count == y.count && x.withUnsafeBytes { p in
                y.withUnsafeBytes { q in
                    guard let a = p.baseAddress, let b = q.baseAddress else { return x.isEmpty }
                    return memcmp(a, b, x.count) == 0
                }
            }
        }

        /// 64 MiB into a channel whose receiver does not consume: the receiver's unconsumed bytes
        /// stay within budget + one receive window (+ one message), and the sender's buffered
        /// amount stops draining. Then the receiver consumes: every message arrives, in order, intact.
        @Test func unreadChannelHoldsTheSenderBack() throws {
            let pair = try AssociationPair(seed: 40)
            pair.b.reportsConsumption = true
            let budget = pair.b.receiveBudget
            #expect(budget == SCTPAssociation.defaultReceiveBudget)
            let id = try pair.a.openChannel(.init(label: "flood"))
            #expect(pair.connect())
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: id)) })
            let total = 1024   // 64 MiB
            for i in 0..<total { try pair.a.send(.binary(Self.message(i)), on: id) }

            // Phase 1: nobody consumes. The receiver stops reading; the sender stalls.
            var peak = 0
            let bound = budget + Int(SCTPTuning.receiveBufferBytes) + 64 * 1024
            #expect(pair.run(maxWall: .seconds(5)) {
                peak = max(peak, pair.b.unconsumedBytes)
                return pair.b.isReceivePaused
            })
            pair.run(maxWall: .milliseconds(300)) { peak = max(peak, pair.b.unconsumedBytes); return false }
            let stalledAt = pair.a.bufferedAmount(of: id)
            pair.run(maxWall: .milliseconds(300)) { peak = max(peak, pair.b.unconsumedBytes); return false }
            print("flow control: peak unconsumed \(peak) bytes (bound \(bound)), sender buffered \(stalledAt) → \(pair.a.bufferedAmount(of: id))")
            #expect(peak >= budget)
            #expect(peak <= bound)
            #expect(pair.b.unconsumedBytes(on: id) == pair.b.unconsumedBytes)
            // Everything not held by the receiver is still buffered at the sender, and stays so.
            #expect(stalledAt >= total * 64 * 1024 - bound - Int(SCTPTuning.bufferBytes))
            // (Window probes may still move a few packets.)
            #expect(stalledAt - pair.a.bufferedAmount(of: id) < 64 * 1024)
            #expect(pair.eventsA.allSatisfy { if case .closed = $0 { false } else { true } })

            // Phase 2: the receiver consumes each message as it sees it.
            var next = 0
            var intact = true
            #expect(pair.run(maxWall: .seconds(20)) {
                for case .message(let got, .binary(let bytes)) in pair.eventsB where got == id {
                    intact = intact && Self.same(bytes, Self.message(next))
                    next += 1
                    pair.b.consumed(bytes: bytes.count, on: id)
                }
                pair.eventsB.removeAll()
                peak = max(peak, pair.b.unconsumedBytes)
                return next >= total
            })
            #expect(next == total)
            #expect(intact)
            #expect(peak <= bound)
            #expect(pair.b.unconsumedBytes == 0)
            #expect(pair.run { pair.a.bufferedAmount(of: id) == 0 })
        }

        /// Without `reportsConsumption`, `pollEvent` consumes: an owner that polls is never held back.
        @Test func pollingConsumesByDefault() throws {
            let pair = try AssociationPair(seed: 41)
            pair.b.receiveBudget = 256 * 1024
            let id = try pair.a.openChannel(.init(label: "polled"))
            #expect(pair.connect())
            for i in 0..<64 { try pair.a.send(.binary(Self.message(i)), on: id) }   // 4 MiB ≫ budget
            var got = 0
            #expect(pair.run {
                got += AssociationPair.messages(pair.eventsB, on: id).count
                pair.eventsB.removeAll()
                return got == 64
            })
            #expect(pair.b.unconsumedBytes == 0)
        }

        /// Our advertised a=max-message-size is the default receive limit: a message of exactly that
        /// size arrives, one byte more is dropped and counted, and the channel keeps working.
        @Test func messagesAboveAdvertisedSizeAreDropped() throws {
            let pair = try AssociationPair(seed: 42)
            #expect(pair.b.maxReceiveMessageSize == SCTPAssociation.advertisedMaxMessageSize)
            let id = try pair.a.openChannel(.init(label: "big"))
            #expect(pair.connect())
            let limit = SCTPAssociation.advertisedMaxMessageSize
            try pair.a.send(.binary([UInt8](repeating: 1, count: limit + 1)), on: id)
            try pair.a.send(.binary([UInt8](repeating: 2, count: limit)), on: id)
            try pair.a.send(.text("after"), on: id)
            #expect(pair.run { AssociationPair.messages(pair.eventsB, on: id).count == 2 })
            let got = AssociationPair.messages(pair.eventsB, on: id)
            #expect(got.first == .binary([UInt8](repeating: 2, count: limit)))
            #expect(got.last == .text("after"))
            #expect(pair.b.drops["sctp.messageTooLarge"] == 1)
        }
    }
}
