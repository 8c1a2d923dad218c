import Testing
import WebRTCCore
@testable import WebRTCSCTP

extension SCTPSuite {
    @Suite(.serialized) struct RestartFilterTests {
        /// An SCTP packet: common header (ports 5000 → 5000, `tag`, checksum 0), then `chunks`.
        static func packet(tag: UInt32 = 0x1234_5678, _ chunks: [[UInt8]]) -> [UInt8] {
            var w = ByteWriter()
            w.u16(5000)
            w.u16(5000)
            w.u32(tag)
            w.u32(0)
            for c in chunks { w.append(c) }
            return w.bytes
        }

        /// A chunk with its header and padding to 4 bytes (RFC 9260 §3.2).
        static func chunk(type: UInt8, flags: UInt8 = 0, _ value: [UInt8], pad: Bool = true) -> [UInt8] {
            var c: [UInt8] = [type, flags, UInt8((4 + value.count) >> 8), UInt8((4 + value.count) & 0xFF)] + value
            if pad { while c.count % 4 != 0 { c.append(0) } }
            return c
        }

        /// INIT: initiate tag, a_rwnd, outbound / inbound streams, initial TSN (RFC 9260 §3.3.2).
        static let initChunk = chunk(type: 1, [0xAA, 0xBB, 0xCC, 0xDD, 0, 0x10, 0, 0, 0x04, 0x00, 0x04, 0x00, 0, 0, 0, 1])
        static let cookieEcho = chunk(type: 10, [UInt8](repeating: 0x5A, count: 24))
        static let data = chunk(type: 0, flags: 3, [0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 53, 0x41], pad: false)
        static let sack = chunk(type: 3, [0, 0, 0, 6, 0, 1, 0, 0, 0, 0, 0, 0])

        @Test func scanFindsChunksAndRejectsMalformed() {
            #expect(RestartFilter.scan(Self.packet([Self.initChunk])) == .init(hasInit: true, hasCookieEcho: false))
            #expect(RestartFilter.scan(Self.packet([Self.sack, Self.cookieEcho])) == .init(hasInit: false, hasCookieEcho: true))
            // Last chunk unpadded (13-byte DATA value): allowed, nothing flagged.
            #expect(RestartFilter.scan(Self.packet([Self.sack, Self.data])) == .init())
            // Too short, no chunk, length below 4, chunk past the end, padding past the end of a
            // middle chunk (the next chunk header would start inside it).
            #expect(RestartFilter.scan([UInt8](repeating: 0, count: 11)) == nil)
            #expect(RestartFilter.scan(Self.packet([])) == nil)
            #expect(RestartFilter.scan(Self.packet([[3, 0, 0, 3]])) == nil)
            #expect(RestartFilter.scan(Self.packet([[3, 0, 0, 40, 1, 2, 3, 4]])) == nil)
            #expect(RestartFilter.scan(Self.packet([Self.data, Self.initChunk])) == nil)
        }

        @Test func filterVerdicts() {
            var f = RestartFilter()
            var drops = DropCounters()
            // Before establishment everything passes, even garbage (usrsctp's business).
            #expect(f.admit(Self.packet([Self.initChunk]), established: false, drops: &drops))
            #expect(f.admit([1, 2, 3], established: false, drops: &drops))
            // Established: a duplicate COOKIE ECHO passes until the peer has shown it is up.
            #expect(f.admit(Self.packet([Self.cookieEcho]), established: true, drops: &drops))
            #expect(!f.admit(Self.packet([Self.initChunk]), established: true, drops: &drops))
            #expect(f.admit(Self.packet([Self.sack]), established: true, drops: &drops))
            #expect(!f.admit(Self.packet([Self.cookieEcho, Self.data]), established: true, drops: &drops))
            #expect(!f.admit(Self.packet([Self.sack, Self.initChunk]), established: true, drops: &drops))
            #expect(!f.admit([1, 2, 3], established: true, drops: &drops))
            #expect(drops[RestartFilter.restartAttempt] == 3)
            #expect(drops[RestartFilter.malformedPacket] == 1)
        }

        /// A crafted INIT and COOKIE ECHO (also bundled with a SACK) injected into a live
        /// association are dropped and counted; the association carries on untouched.
        @Test func injectedRestartChangesNothing() throws {
            let pair = try AssociationPair(seed: 50)
            let id = try pair.a.openChannel(.init(label: "live"))
            #expect(pair.connect())
            try pair.a.send(.text("before"), on: id)
            #expect(pair.run { AssociationPair.messages(pair.eventsB, on: id) == [.text("before")] })
            for target in [pair.a, pair.b] {
                target.handlePacket(Self.packet([Self.initChunk]), now: pair.now)
                target.handlePacket(Self.packet([Self.cookieEcho]), now: pair.now)
                target.handlePacket(Self.packet([Self.sack, Self.cookieEcho]), now: pair.now)
                #expect(target.drops[RestartFilter.restartAttempt] == 3)
            }
            try pair.a.send(.text("after"), on: id)
            try pair.b.send(.text("reply"), on: id)
            #expect(pair.run {
                AssociationPair.messages(pair.eventsB, on: id) == [.text("before"), .text("after")]
                    && AssociationPair.messages(pair.eventsA, on: id) == [.text("reply")]
            })
            pair.run(maxWall: .milliseconds(100)) { false }
            for events in [pair.eventsA, pair.eventsB] {
                #expect(!events.contains { if case .closed = $0 { true } else { false } })
                #expect(!events.contains { if case .channelClosing = $0 { true } else { false } })
                #expect(events.filter { $0 == .connected }.count == 1)
            }
            #expect(pair.a.state == .connected && pair.b.state == .connected)
        }
    }
}
