import Testing
import WebRTCCore
@testable import WebRTCSCTP

#if canImport(Glibc)
import Glibc
#endif

extension SCTPSuite {
    @Suite(.serialized) struct LossyTransfer {
        static let lossy = LinkImpairment(loss: 0.10, duplication: 0.05, reorder: 0.10)

        /// A deterministic payload: message `i` of `size` bytes whose first bytes encode `i`.
        static func payload(_ i: Int, size: Int) -> [UInt8] {
            var b = [UInt8](repeating: UInt8(truncatingIfNeeded: i &* 31 &+ 7), count: size)
            for k in 0..<min(size, 8) { b[k] = UInt8(truncatingIfNeeded: i >> (8 * k)) }
            for k in stride(from: 8, to: size, by: 97) { b[k] = UInt8(truncatingIfNeeded: k &+ i) }
            return b
        }

        @Test func tenMiBOrderedReliableUnderLoss() throws {
            let seed: UInt64 = 0x5C7B_2026
            print("seed \(seed)")
            let pair = try AssociationPair(seed: seed, impairment: Self.lossy)
            pair.timeScale = 20
            let id = try pair.a.openChannel(.init(label: "bulk"))
            #expect(pair.connect())
            let size = 64 * 1024, count = 160   // 10 MiB
            var next = 0
            let clock = MonotonicClock.now()
            #expect(pair.run(maxWall: .seconds(30)) {
                // Keep at most 4 MiB buffered, as an application would.
                while next < count && pair.a.bufferedAmount(of: id) < 4 << 20 {
                    try? pair.a.send(.binary(Self.payload(next, size: size)), on: id)
                    next += 1
                }
                return AssociationPair.messages(pair.eventsB, on: id).count >= count
            })
            let got = AssociationPair.messages(pair.eventsB, on: id)
            #expect(got.count == count)
            let intact = got == (0..<count).map { .binary(Self.payload($0, size: size)) }
            #expect(intact)
            if !intact { print("stalled: \(pair.a.debugSummary) / \(pair.b.debugSummary)") }
            print("10 MiB under 10% loss/5% dup/reorder: \((MonotonicClock.now() - clock).milliseconds) ms wall, packets a→b \(pair.packetsAB)")
        }

        @Test func unorderedReliableExactlyOnce() throws {
            let seed: UInt64 = 77
            print("seed \(seed)")
            let pair = try AssociationPair(seed: seed, impairment: Self.lossy)
            pair.timeScale = 20
            let id = try pair.a.openChannel(.init(label: "u", ordered: false))
            #expect(pair.connect())
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: id)) })
            let count = 2000
            for i in 0..<count { try pair.a.send(.binary(Self.payload(i, size: 100 + i % 1500)), on: id) }
            #expect(pair.run(maxWall: .seconds(20)) { AssociationPair.messages(pair.eventsB, on: id).count >= count })
            let got = AssociationPair.messages(pair.eventsB, on: id)
            #expect(got.count == count)
            let expected = Set((0..<count).map { Self.payload($0, size: 100 + $0 % 1500) })
            let received = got.compactMap { if case .binary(let b) = $0 { b } else { nil } }
            #expect(Set(received) == expected)
        }

        @Test func maxRetransmitsZeroNeverDuplicatesOrCorrupts() throws {
            let seed: UInt64 = 99
            print("seed \(seed)")
            let pair = try AssociationPair(seed: seed, impairment: Self.lossy)
            pair.timeScale = 20
            let id = try pair.a.openChannel(.init(label: "r0", ordered: false, maxRetransmits: 0))
            let check = try pair.a.openChannel(.init(label: "reliable"))
            #expect(pair.connect())
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: id)) && pair.eventsA.contains(.channelOpen(id: check)) })
            let count = 2000
            for i in 0..<count { try pair.a.send(.binary(Self.payload(i, size: 200 + i % 3000)), on: id) }
            try pair.a.send(.text("end"), on: check)
            #expect(pair.run(maxWall: .seconds(20)) {
                AssociationPair.messages(pair.eventsB, on: check) == [.text("end")] && pair.a.bufferedAmount(of: id) == 0
            })
            pair.run(maxWall: .milliseconds(300)) { false }
            let got = AssociationPair.messages(pair.eventsB, on: id).compactMap { m -> [UInt8]? in
                if case .binary(let b) = m { b } else { nil }
            }
            let valid = Dictionary(uniqueKeysWithValues: (0..<count).map { (Self.payload($0, size: 200 + $0 % 3000), $0) })
            #expect(got.allSatisfy { valid[$0] != nil })   // nothing corrupt
            #expect(Set(got).count == got.count)            // no duplicates
            #expect(got.count < count)                      // with 10 % loss some are abandoned
            #expect(got.count > count / 2)
            print("maxRetransmits 0: \(got.count)/\(count) delivered")
        }
    }
}
