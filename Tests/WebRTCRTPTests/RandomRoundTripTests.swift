import Testing
import WebRTCCore
@testable import WebRTCRTP

/// Seeded sweeps: random packets serialise and parse back equal; random bytes never trap.
@Suite("Seeded random round trips")
struct RandomRoundTripTests {
    func randomRTP(_ r: RandomSource) throws -> RTPPacket {
        var p = RTPPacket(payloadType: UInt8(r.uniform(0...127)), sequenceNumber: UInt16(r.uniform(0...65535)),
                          timestamp: UInt32(truncatingIfNeeded: r.next()), ssrc: UInt32(truncatingIfNeeded: r.next()),
                          marker: r.uniform(0...1) == 1, csrcs: (0..<r.uniform(0...15)).map { _ in UInt32(truncatingIfNeeded: r.next()) },
                          payload: r.bytes(r.uniform(0...300))[...], paddingLength: r.uniform(0...1) == 0 ? 0 : r.uniform(1...255))
        if r.uniform(0...2) > 0 {
            let twoByte = r.uniform(0...1) == 1
            var ids = Array(UInt8(1)...(twoByte ? 255 : 14))
            var elements: [(id: UInt8, data: [UInt8])] = []
            for _ in 0..<r.uniform(0...5) {
                let id = ids.remove(at: r.uniform(0...ids.count - 1))
                elements.append((id, r.bytes(twoByte ? r.uniform(0...40) : r.uniform(1...16))))
            }
            try p.setHeaderExtensions(elements)
            for e in elements { #expect(p.headerExtension(id: e.id).map(Array.init) == e.data) }
        }
        return p
    }

    @Test("500 random RTP packets round-trip")
    func rtpSweep() throws {
        let r = RandomSource(seed: 2026)
        for _ in 0..<500 {
            let p = try randomRTP(r)
            let bytes = p.serialized()
            let q = try RTPPacket(parsing: bytes[...])
            #expect(q == p)
            #expect(q.serialized() == bytes)
        }
    }

    func randomRTCP(_ r: RandomSource) -> RTCPPacket {
        func u32() -> UInt32 { UInt32(truncatingIfNeeded: r.next()) }
        func block() -> RTCPReportBlock {
            RTCPReportBlock(ssrc: u32(), fractionLost: UInt8(r.uniform(0...255)), cumulativeLost: Int32(r.uniform(-0x80_0000...0x7F_FFFF)),
                            extendedHighestSequence: u32(), jitter: u32(), lastSenderReport: u32(), delaySinceLastSenderReport: u32())
        }
        switch r.uniform(0...8) {
        case 0: return .senderReport(RTCPSenderReport(ssrc: u32(), ntpTimestamp: r.next(), rtpTimestamp: u32(), packetCount: u32(),
                                                      octetCount: u32(), reports: (0..<r.uniform(0...31)).map { _ in block() }))
        case 1: return .receiverReport(RTCPReceiverReport(ssrc: u32(), reports: (0..<r.uniform(0...31)).map { _ in block() }))
        case 2:
            return .sourceDescription(RTCPSourceDescription(chunks: (0..<r.uniform(0...4)).map { _ in
                .init(ssrc: u32(), items: (0..<r.uniform(0...3)).map { _ in .init(type: UInt8(r.uniform(1...8)), value: r.bytes(r.uniform(0...40))) })
            }))
        case 3: return .bye(RTCPBye(sources: (0..<r.uniform(0...5)).map { _ in u32() }, reason: r.uniform(0...1) == 0 ? nil : r.bytes(r.uniform(0...30))))
        case 4: return .nack(RTCPGenericNACK(senderSSRC: u32(), mediaSSRC: u32(), lost: (0..<r.uniform(1...40)).map { _ in UInt16(r.uniform(0...200)) }))
        case 5: return .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: u32(), mediaSSRC: u32()))
        case 6: return .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: u32(), entries: (0..<r.uniform(1...4)).map { _ in .init(ssrc: u32(), sequenceNumber: UInt8(r.uniform(0...255))) }))
        case 7: return .remb(RTCPREMB(senderSSRC: u32(), bitrate: UInt64(r.uniform(0...0x3_FFFF)) << UInt64(r.uniform(0...30)), ssrcs: (0..<r.uniform(0...4)).map { _ in u32() }))
        default:
            return .transportFeedback(RTCPTransportFeedback(
                senderSSRC: u32(), mediaSSRC: u32(), baseSequenceNumber: UInt16(r.uniform(0...65535)), referenceTime: Int32(r.uniform(-0x80_0000...0x7F_FFFF)),
                feedbackPacketCount: UInt8(r.uniform(0...255)),
                deltas: (0..<r.uniform(1...300)).map { _ in
                    switch r.uniform(0...9) {
                    case 0...2: nil
                    case 3: Int16(r.uniform(-32768...32767))
                    default: Int16(r.uniform(0...255))
                    }
                }))
        }
    }

    @Test("300 random compound RTCP packets round-trip")
    func rtcpSweep() throws {
        let r = RandomSource(seed: 5506)
        for _ in 0..<300 {
            let c = RTCPCompound((0..<r.uniform(1...5)).map { _ in randomRTCP(r) })
            let bytes = c.serialized()
            var drops = DropCounters()
            let parsed = try #require(RTCPCompound(bytes[...], drops: &drops))
            #expect(parsed.packets == c.packets)
            #expect(drops.total == 0)
            #expect(parsed.serialized() == bytes)
        }
    }

    @Test("random and bit-flipped inputs never trap; each rejection is counted")
    func noTrap() throws {
        let r = RandomSource(seed: 99)
        var drops = DropCounters()
        var rejected = 0
        for i in 0..<2000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = r.bytes(r.uniform(0...80))
                bytes.withUnsafeMutableBufferPointer { if !$0.isEmpty { $0[0] = 0x80 | $0[0] & 0x3F } }
            } else {
                bytes = RTCPCompound([randomRTCP(r)]).serialized()
                bytes[r.uniform(0...bytes.count - 1)] ^= UInt8(1 << r.uniform(0...7))
            }
            if RTPPacket(bytes[...], drops: &drops) == nil { rejected += 1 }
            let before = drops.total
            if RTCPCompound(bytes[...], drops: &drops) == nil { #expect(drops.total == before + 1) }
        }
        #expect(drops[RTPDropReason.tooShort] + drops[RTPDropReason.badVersion] + drops[RTPDropReason.csrcOverflow]
                + drops[RTPDropReason.extensionOverflow] + drops[RTPDropReason.badPadding] == rejected)
    }
}
