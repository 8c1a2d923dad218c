import Testing
import WebRTCCore
@testable import WebRTCSCTP

#if canImport(Glibc)
import Glibc
#endif

/// Resident set size in bytes (Linux /proc/self/statm).
func residentBytes() -> Int {
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var size = 0, resident = 0
    _ = withUnsafeMutablePointer(to: &size) { s in
        withUnsafeMutablePointer(to: &resident) { r in
            withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
        }
    }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

extension SCTPSuite {
    @Suite(.serialized) struct Teardown {
        @Test func abortWithTenMiBQueued() throws {
            var ids: [UInt32] = []
            do {
                let pair = try AssociationPair(seed: 21)
                ids = [pair.a.associationID, pair.b.associationID]
                let id = try pair.a.openChannel(.init(label: "big"))
                #expect(pair.connect())
                let chunk = [UInt8](repeating: 3, count: 64 * 1024)
                for _ in 0..<160 { try pair.a.send(.binary(chunk), on: id) }
                pair.pumpOnce()
                #expect(pair.a.bufferedAmount(of: id) > 8 << 20)
                pair.a.abort()
                #expect(pair.a.state == .closed)
                #expect(pair.a.pollEvent() == nil)
                // The ABORT reaches b, which reports it; a stays silent and inert.
                #expect(pair.run { pair.eventsB.contains { if case .closed(.aborted) = $0 { true } else { false } } })
                pair.run(maxWall: .milliseconds(200)) { false }
                #expect(pair.a.pollEvent() == nil)
                #expect(pair.a.nextDeadline() == nil)
                #expect(throws: SCTPError.invalidState) { try pair.a.send(.text("x"), on: id) }
                pair.a.handlePacket([0, 1, 2, 3], now: pair.now)   // ignored, counted
                #expect(pair.a.drops["sctp.packetWhenClosed"] >= 1)
                #expect(pair.b.state == .closed)
            }
            #expect(!ids.contains { SCTPAssociation.isLive(id: $0) })
        }

        @Test func gracefulCloseShutsDownRemote() throws {
            var ids: [UInt32] = []
            do {
                let pair = try AssociationPair(seed: 22)
                ids = [pair.a.associationID, pair.b.associationID]
                let id = try pair.a.openChannel(.init(label: "c"))
                #expect(pair.connect())
                try pair.a.send(.text("bye"), on: id)
                pair.pumpOnce()
                pair.a.close()
                let before = pair.eventsA.count
                #expect(pair.run { pair.eventsB.contains(.closed(error: nil)) })
                #expect(pair.run { pair.a.nextDeadline() == nil })
                #expect(pair.eventsA.count == before)      // nothing after close()
                #expect(AssociationPair.messages(pair.eventsB, on: id) == [.text("bye")])
            }
            #expect(!ids.contains { SCTPAssociation.isLive(id: $0) })
        }

        @Test func dropWithoutCloseLeavesNothing() throws {
            var ids: [UInt32] = []
            do {
                let pair = try AssociationPair(seed: 23)
                ids = [pair.a.associationID, pair.b.associationID]
                _ = try pair.a.openChannel(.init(label: "c"))
                #expect(pair.connect())
                #expect(ids.allSatisfy { SCTPAssociation.isLive(id: $0) })
            }
            #expect(!ids.contains { SCTPAssociation.isLive(id: $0) })
        }

        @Test func thousandOpenCloseCycles() throws {
            var ids: [UInt32] = []
            var rssAfterWarmup = 0
            for i in 0..<1000 {
                let pair = try AssociationPair(seed: UInt64(i))
                ids += [pair.a.associationID, pair.b.associationID]
                let id = try pair.a.openChannel(.init(label: "c"))
                #expect(pair.connect())
                try pair.a.send(.text("m"), on: id)
                pair.pumpOnce()
                if i % 2 == 0 { pair.a.abort() } else { pair.a.close() }
                pair.pumpOnce()
                if i == 100 { rssAfterWarmup = residentBytes() }
            }
            let rss = residentBytes()
            print("RSS after 100 cycles \(rssAfterWarmup / 1024) KiB, after 1000 \(rss / 1024) KiB")
            #expect(!ids.contains { SCTPAssociation.isLive(id: $0) })
            #expect(rss - rssAfterWarmup < 64 << 20)
        }

        @Test func throughputInMemory() throws {
            let pair = try AssociationPair(seed: 30)
            let id = try pair.a.openChannel(.init(label: "t"))
            #expect(pair.connect())
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: id)) })
            let chunk = [UInt8](repeating: 9, count: 64 * 1024)
            let total = 1600   // 100 MiB
            var sent = 0, received = 0
            let start = MonotonicClock.now()
            #expect(pair.run(maxWall: .seconds(60)) {
                while sent < total && pair.a.bufferedAmount(of: id) < 4 << 20 {
                    try? pair.a.send(.binary(chunk), on: id)
                    sent += 1
                }
                received += AssociationPair.messages(pair.eventsB, on: id).count
                pair.eventsB.removeAll()
                return received >= total
            })
            let seconds: Double = (MonotonicClock.now() - start).milliseconds / 1000
            let megabytes: Double = Double(total) * 65536 / 1e6
            print("throughput: \(Int(megabytes / seconds)) MB/s (\(total) × 64 KiB in \(seconds) s)")
        }
    }
}


extension SCTPSuite.Teardown {
    /// `teardown()` (DTLS closed or failed): deregistered at once, no timer, no events, no packets.
    @Test func teardownWhenDTLSGoes() throws {
        let pair = try AssociationPair(seed: 24)
        let id = try pair.a.openChannel(.init(label: "c"))
        #expect(pair.connect())
        try pair.a.send(.text("queued"), on: id)
        let before = SCTPAssociation.liveAssociationCount
        #expect(SCTPAssociation.isLive(id: pair.a.associationID))
        pair.a.teardown()
        #expect(SCTPAssociation.liveAssociationCount == before - 1)
        #expect(!SCTPAssociation.isLive(id: pair.a.associationID))
        #expect(pair.a.nextDeadline() == nil)
        #expect(pair.a.pollEvent() == nil)
        #expect(pair.a.pollTransmit() == nil)
        #expect(pair.a.state == .closed)
        pair.a.handleTimeout(now: pair.now + .seconds(1))
        pair.a.handlePacket([0, 1, 2, 3], now: pair.now + .seconds(1))
        #expect(pair.a.pollEvent() == nil && pair.a.nextDeadline() == nil)
        pair.a.teardown()   // idempotent
        #expect(SCTPAssociation.liveAssociationCount == before - 1)
    }
}
