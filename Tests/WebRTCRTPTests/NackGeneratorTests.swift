import Testing
import WebRTCCore
@testable import WebRTCRTP

@Suite("NACK generator")
struct NackGeneratorTests {
    @Test("a gap is NACKed at once, reordering cancels, retries are spaced by the RTT")
    func reorderAndRetry() {
        var g = NackGenerator()
        for seq: UInt16 in [1, 2, 3, 6] { g.received(sequenceNumber: seq, at: .zero) }
        #expect(g.nextDeadline() == .zero)
        #expect(g.poll(now: .zero) == .init(nacks: [4, 5], requestKeyframe: false))
        #expect(g.poll(now: .milliseconds(50)).nacks.isEmpty)
        g.received(sequenceNumber: 4, at: .milliseconds(60))  // late arrival
        #expect(g.missingSequenceNumbers == [5])
        #expect(g.nextDeadline() == .milliseconds(100))
        #expect(g.poll(now: .milliseconds(100)).nacks == [5])
        g.updateRTT(.milliseconds(30))
        #expect(g.poll(now: .milliseconds(129)).nacks.isEmpty)
        #expect(g.poll(now: .milliseconds(200)).nacks == [5])
        g.received(sequenceNumber: 5, at: .milliseconds(210))  // retransmission arrived
        #expect(g.nextDeadline() == nil)
        #expect(g.poll(now: .seconds(1)) == .init(nacks: [], requestKeyframe: false))
    }

    @Test("after maxRetries NACKs the packet is given up and a keyframe requested")
    func retriesExhausted() {
        var g = NackGenerator(configuration: .init(maxRetries: 3))
        g.received(sequenceNumber: 10, at: .zero)
        g.received(sequenceNumber: 12, at: .zero)
        var sent = 0
        var t = Instant.zero
        for _ in 0..<3 {
            sent += g.poll(now: t).nacks.count
            t = t + .milliseconds(100)
        }
        #expect(sent == 3)
        let out = g.poll(now: t)
        #expect(out.nacks.isEmpty && out.requestKeyframe)
        #expect(g.missingSequenceNumbers.isEmpty && g.nextDeadline() == nil)
    }

    @Test("gaps across the 16-bit wrap are found")
    func wrap() {
        var g = NackGenerator()
        for seq: UInt16 in [65534, 65535, 2] { g.received(sequenceNumber: seq, at: .zero) }
        #expect(g.poll(now: .zero).nacks == [0, 1])
    }

    @Test("a gap larger than the list is beyond repair: keyframe, no NACKs")
    func hugeGap() {
        var g = NackGenerator(configuration: .init(maxListSize: 500))
        g.received(sequenceNumber: 0, at: .zero)
        g.received(sequenceNumber: 1000, at: .zero)
        #expect(g.poll(now: .zero) == .init(nacks: [], requestKeyframe: true))
        #expect(g.missingSequenceNumbers.isEmpty)
    }

    @Test("the list is bounded: overflow drops the oldest and requests a keyframe")
    func overflow() {
        var g = NackGenerator(configuration: .init(maxListSize: 10))
        g.received(sequenceNumber: 0, at: .zero)
        g.received(sequenceNumber: 7, at: .zero)   // 1…6 missing
        g.received(sequenceNumber: 14, at: .zero)  // 8…13 missing: 12 > 10
        #expect(g.missingSequenceNumbers == [3, 4, 5, 6, 8, 9, 10, 11, 12, 13])
        #expect(g.poll(now: .zero).requestKeyframe)
    }

    @Test("missing packets too far behind the newest are dropped")
    func tooOld() {
        var g = NackGenerator(configuration: .init(maxPacketAge: 100))
        g.received(sequenceNumber: 0, at: .zero)
        g.received(sequenceNumber: 2, at: .zero)  // 1 missing
        _ = g.poll(now: .zero)
        for seq in UInt16(3)...150 { g.received(sequenceNumber: seq, at: .milliseconds(Int64(seq))) }
        #expect(g.missingSequenceNumbers.isEmpty)
        #expect(g.poll(now: .milliseconds(150)).requestKeyframe)
    }

    @Test("virtual-time run with seeded loss and reorder: each lost packet is NACKed and repaired, no keyframe")
    func seededRun() {
        let random = RandomSource(seed: 42)
        var g = NackGenerator()
        var lost = Set<UInt16>()
        var nacked = Set<UInt16>()
        var pending: [(seq: UInt16, at: Instant)] = []
        var now = Instant.zero
        for seq in UInt16(0)..<3000 {
            now = now + .milliseconds(10)
            if seq > 0 && random.unit() < 0.05 {
                lost.insert(seq)
            } else {
                // Reorder: hold roughly one packet in ten back by 15 ms.
                pending.append((seq, random.unit() < 0.1 ? now + .milliseconds(15) : now))
            }
            pending.sort { $0.at < $1.at }
            while let first = pending.first, first.at <= now {
                g.received(sequenceNumber: first.seq, at: first.at)
                pending.removeFirst()
            }
            let out = g.poll(now: now)
            #expect(!out.requestKeyframe)
            for n in out.nacks where lost.contains(n) && !nacked.contains(n) {
                pending.append((n, now + .milliseconds(40)))  // the sender's retransmission
            }
            nacked.formUnion(out.nacks)
        }
        for p in pending { g.received(sequenceNumber: p.seq, at: p.at) }
        #expect(lost.count > 100)
        #expect(lost.isSubset(of: nacked))
        #expect(g.missingSequenceNumbers.isEmpty)
        #expect(g.poll(now: now + .seconds(1)) == .init(nacks: [], requestKeyframe: false))
    }
}
