import Testing
import WebRTCCore
@testable import WebRTCRTP

@Suite("RTCP packets")
struct RTCPPacketTests {
    func roundTrip(_ packet: RTCPPacket) -> RTCPPacket? {
        var drops = DropCounters()
        let bytes = RTCPCompound([packet]).serialized()
        let parsed = RTCPCompound(bytes[...], drops: &drops)
        #expect(drops.total == 0)
        #expect(bytes.count % 4 == 0)
        #expect(parsed?.packets.count == 1)
        return parsed?.packets.first
    }

    static let block = RTCPReportBlock(ssrc: 0x1111_2222, fractionLost: 73, cumulativeLost: -3, extendedHighestSequence: 0x0001_0005,
                                       jitter: 9, lastSenderReport: 0x1234_5678, delaySinceLastSenderReport: 32768)

    @Test("every packet type round-trips through a single-packet compound", arguments: [
        RTCPPacket.senderReport(RTCPSenderReport(ssrc: 1, ntpTimestamp: 0xE000_0000_8000_0000, rtpTimestamp: 90000,
                                                 packetCount: 10, octetCount: 12000, reports: [block, block])),
        .senderReport(RTCPSenderReport(ssrc: 1, ntpTimestamp: 5, rtpTimestamp: 6, packetCount: 0, octetCount: 0)),
        .receiverReport(RTCPReceiverReport(ssrc: 2, reports: [block])),
        .receiverReport(RTCPReceiverReport(ssrc: 2)),
        .sourceDescription(RTCPSourceDescription(chunks: [.init(ssrc: 3, cname: "abcd"), .init(ssrc: 4, cname: "a-longer-cname-x"),
                                                          .init(ssrc: 5, items: [.init(type: 1, value: []), .init(type: 6, value: [0x41])])])),
        .bye(RTCPBye(sources: [5, 6], reason: Array("done".utf8))),
        .bye(RTCPBye(sources: [7])),
        .nack(RTCPGenericNACK(senderSSRC: 8, mediaSSRC: 9, lost: [100, 101, 103, 200])),
        .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 10, mediaSSRC: 11)),
        .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 12, entries: [.init(ssrc: 13, sequenceNumber: 4), .init(ssrc: 14, sequenceNumber: 255)])),
        .remb(RTCPREMB(senderSSRC: 15, bitrate: 0x3_FFFF << 5, ssrcs: [16, 17])),
        .transportFeedback(RTCPTransportFeedback(senderSSRC: 18, mediaSSRC: 19, baseSequenceNumber: 65530, referenceTime: -5,
                                                 feedbackPacketCount: 200, deltas: [4, nil, 300, -2, nil, nil, 0, 255])),
    ])
    func roundTrips(_ packet: RTCPPacket) {
        #expect(roundTrip(packet) == packet)
    }

    @Test("hand-built SR bytes (RFC 3550 §6.4.1 layout) parse to the expected fields")
    func senderReportBytes() throws {
        let bytes = hex("""
            81 C8 000C  CAFEBABE  E0000000 80000000  00015F90  0000000A  00002EE0
            11112222  49FFFFFD  00010005  00000009  12345678  00008000
            """)
        var drops = DropCounters()
        let c = try #require(RTCPCompound(bytes[...], drops: &drops))
        guard case .senderReport(let sr) = c.packets.first else { Issue.record("not an SR"); return }
        #expect(sr.ssrc == 0xCAFE_BABE && sr.rtpTimestamp == 90000 && sr.packetCount == 10 && sr.octetCount == 12000)
        #expect(sr.compactNTP == 0x0000_8000)
        #expect(sr.reports == [Self.block])
        #expect(c.serialized() == bytes)
    }

    // RFC 4585 §6.2.1 FCI: PID, then BLP whose least significant bit is packet PID+1.
    @Test("NACK FCI: PID 1000 with BLP 0x8001 means 1000, 1001 and 1016 are lost")
    func nackFCIBytes() throws {
        let bytes = hex("81 CD 0003  00000001  00000002  03E8 8001")
        var drops = DropCounters()
        let c = try #require(RTCPCompound(bytes[...], drops: &drops))
        guard case .nack(let nack) = c.packets.first else { Issue.record("not a NACK"); return }
        #expect(nack.sequenceNumbers == [1000, 1001, 1016])
        #expect(RTCPGenericNACK.entries(for: [1000, 1001, 1016]) == [.init(packetID: 1000, bitmask: 0x8001)])
        #expect(RTCPCompound([.nack(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: [1016, 1000, 1001]))]).serialized() == bytes)
    }

    @Test("NACK helper packs across the 16-bit wrap and splits gaps over 16")
    func nackHelper() {
        let e = RTCPGenericNACK.entries(for: [65534, 65535, 0, 14, 15, 40])
        #expect(e == [.init(packetID: 65534, bitmask: 0b1000_0000_0000_0011), .init(packetID: 15, bitmask: 0), .init(packetID: 40, bitmask: 0)])
        #expect(RTCPGenericNACK(senderSSRC: 0, mediaSSRC: 0, entries: e).sequenceNumbers == [65534, 65535, 0, 14, 15, 40])
        #expect(RTCPGenericNACK.entries(for: []).isEmpty)
        // Input order does not matter; the wrap is found from the largest empty stretch.
        #expect(RTCPGenericNACK.entries(for: [1, 65535, 0]) == [.init(packetID: 65535, bitmask: 0b11)])
        #expect(RTCPGenericNACK.entries(for: [9]) == [.init(packetID: 9, bitmask: 0)])
    }

    @Test("REMB bytes: exponent and mantissa decode to bits per second")
    func rembBytes() throws {
        // Num SSRC 1, exponent 2, mantissa 250000 → 1 000 000 bit/s.
        let word = UInt32(1) << 24 | UInt32(2) << 18 | 250_000
        let bytes = hex("8F CE 0005  00000001  00000000  52454D42") + [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)]
            + hex("0000ABCD")
        var drops = DropCounters()
        let c = try #require(RTCPCompound(bytes[...], drops: &drops))
        #expect(c.packets == [.remb(RTCPREMB(senderSSRC: 1, bitrate: 1_000_000, ssrcs: [0xABCD]))])
    }

    // draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.3/§3.1.4: a run-length chunk of 221
    // "not received" (0x00DD) and a one-bit status vector 0x9F1C (not received, 5 received,
    // 3 not received, 3 received, 2 not received).
    @Test("transport-cc: run-length and one-bit vector chunks from the draft's examples")
    func transportFeedbackBytes() throws {
        let bytes = hex("""
            8F CD 0007  00000001  00000002  000A 00EB  00000107  00DD 9F1C
            04 04 04 04  04 04 04 04
            """)
        var drops = DropCounters()
        let c = try #require(RTCPCompound(bytes[...], drops: &drops))
        guard case .transportFeedback(let fb) = c.packets.first else { Issue.record("not transport-cc"); return }
        #expect(fb.baseSequenceNumber == 10 && fb.referenceTime == 1 && fb.feedbackPacketCount == 7)
        #expect(fb.deltas.count == 235)
        #expect(fb.deltas[0..<222].allSatisfy { $0 == nil })
        #expect(Array(fb.deltas[222..<227]) == [4, 4, 4, 4, 4])
        #expect(Array(fb.deltas[227..<230]) == [nil, nil, nil])
        #expect(Array(fb.deltas[230..<233]) == [4, 4, 4])
        #expect(fb.received.first?.sequenceNumber == 232 && fb.received.last?.ticks == 32)
        // Re-encoding may choose other chunk boundaries but describes the same packets.
        #expect(roundTrip(.transportFeedback(fb)) == .transportFeedback(fb))
    }

    @Test("transport-cc: a large or negative delta uses a two-bit vector; a long run a run-length chunk")
    func transportFeedbackChunks() {
        typealias S = RTCPTransportFeedback.Symbol
        let mixed: [S] = [.smallDelta, .largeDelta, .notReceived, .smallDelta]
        let twoBit: UInt16 = 0xC000 | 1 << 12 | 2 << 10 | 0 << 8 | 1 << 6
        #expect(RTCPTransportFeedback.chunks(mixed) == [twoBit])
        #expect(RTCPTransportFeedback.chunks(Array(repeating: S.largeDelta, count: 20)) == [0x4000 | 20])
        #expect(RTCPTransportFeedback.chunks(Array(repeating: S.notReceived, count: 9000)) == [0x1FFF, 9000 - 0x1FFF])
        var big = Array(repeating: Int16?.none, count: 70)
        big[3] = -400
        big[69] = 1
        let fb = RTCPTransportFeedback(senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 0, referenceTime: 0x7F_FFFF,
                                       feedbackPacketCount: 0, deltas: big)
        #expect(roundTrip(.transportFeedback(fb)) == .transportFeedback(fb))
    }

    @Test("a compound SR + SDES + unknown APP + PLI parses; the unknown packet is skipped and counted")
    func compoundWithUnknown() throws {
        let sr = RTCPPacket.senderReport(RTCPSenderReport(ssrc: 1, ntpTimestamp: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5))
        let sdes = RTCPPacket.sourceDescription(RTCPSourceDescription(chunks: [.init(ssrc: 1, cname: "x")]))
        let pli = RTCPPacket.pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2))
        var w = ByteWriter()
        sr.write(into: &w)
        sdes.write(into: &w)
        w.append(hex("80 CC 0002 00000001 6E616D65"))  // APP (204), name "name"
        w.append(hex("8A CE 0002 00000001 00000002"))  // PSFB FMT 10: unknown format
        pli.write(into: &w)
        var drops = DropCounters()
        let c = try #require(RTCPCompound(w.bytes[...], drops: &drops))
        #expect(c.packets == [sr, sdes, pli])
        #expect(c.skippedUnknown == 2)
        #expect(drops[RTCPDropReason.unknownSkipped] == 2)
        guard case .sourceDescription(let s) = c.packets[1] else { return }
        #expect(s.chunks.first?.cname == "x")
    }

    @Test("reduced-size RTCP (RFC 5506): a lone NACK without SR/RR is accepted")
    func reducedSize() throws {
        let nack = RTCPPacket.nack(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lost: [7]))
        var drops = DropCounters()
        let c = try #require(RTCPCompound(RTCPCompound([nack]).serialized()[...], drops: &drops))
        #expect(c.packets == [nack])
    }

    @Test("padding on the last packet of a compound is accepted and excluded from the body")
    func paddedLast() throws {
        let bytes = hex("A1 CE 0003  00000001  00000002  00000004")  // PLI with 4 bytes padding
        var drops = DropCounters()
        let c = try #require(RTCPCompound(bytes[...], drops: &drops))
        #expect(c.packets == [.pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2))])
    }

    static let validRR = hex("80 C9 0001 00000009")

    /// Structural errors drop the whole datagram; body errors drop one sub-packet. Either way the
    /// reason is counted and the next valid datagram still parses.
    @Test("malformed RTCP is dropped with a named reason", arguments: [
        (hex("80 C9"), RTCPDropReason.tooShort, false),
        (hex("40 C9 0001 00000009"), RTCPDropReason.badVersion, false),
        (hex("80 C9 0001 00000009  40 C9 0001 00000009"), RTCPDropReason.badVersion, false),
        (hex("80 C9 0001 00000009  80 C8 0006 00000001"), RTCPDropReason.lengthOverflow, false),   // sub-length overflow
        (hex("80 C9 0001 00000009  80 C9"), RTCPDropReason.lengthOverflow, false),
        (hex("80 60 0001 00000009"), RTCPDropReason.notRTCP, false),
        (hex("A0 C9 0001 00000000"), RTCPDropReason.badPadding, false),                      // pad count 0
        (hex("A0 C9 0001 00000009"), RTCPDropReason.badPadding, false),                      // 9 > 4
        (hex("A0 C9 0001 00000004  80 C9 0001 00000009"), RTCPDropReason.badPadding, false), // padding not last
        (hex("82 C9 0007 00000009") + Array(repeating: 0, count: 24), RTCPDropReason.truncatedBody, true), // RC 2, one block
        (hex("81 C8 0001 00000009"), RTCPDropReason.truncatedBody, true),                    // SR without sender info
        (hex("81 CD 0002 00000001 00000002"), RTCPDropReason.truncatedBody, true),           // NACK without FCI
        (hex("81 CA 0002 00000001 01050000"), RTCPDropReason.truncatedBody, true),           // SDES item past the end
        (hex("81 CA 0002 00000001 01026162"), RTCPDropReason.malformedBody, true),           // SDES without terminator
        (hex("8F CD 0004 00000001 00000002 0000 0005 00000000"), RTCPDropReason.truncatedBody, true), // tcc: no chunks
        (hex("8F CD 0005 00000001 00000002 0000 0003 00000000 2003 0000"), RTCPDropReason.truncatedBody, true), // tcc: 3 deltas, 2 bytes
        (hex("8F CD 0005 00000001 00000002 0000 0001 00000000 6001 0000"), RTCPDropReason.malformedBody, true), // reserved symbol
    ])
    func malformed(_ bytes: [UInt8], _ reason: String, _ keepsCompound: Bool) {
        var drops = DropCounters()
        let c = RTCPCompound(bytes[...], drops: &drops)
        #expect(drops[reason] == 1)
        #expect(drops.total == 1)
        if keepsCompound {
            #expect(c?.droppedMalformed == 1)
            #expect(c?.packets.isEmpty == true)
        } else {
            #expect(c == nil)
        }
        let next = RTCPCompound(Self.validRR[...], drops: &drops)
        #expect(next?.packets == [.receiverReport(RTCPReceiverReport(ssrc: 9))])
        #expect(drops.total == 1)
    }

    @Test("a malformed sub-packet is dropped alone; the rest of the compound is kept")
    func malformedSubPacketKeepsRest() throws {
        let bytes = Self.validRR + hex("81 CD 0002 00000001 00000002") + Self.validRR
        var drops = DropCounters()
        let c = try #require(RTCPCompound(bytes[...], drops: &drops))
        #expect(c.packets.count == 2)
        #expect(c.droppedMalformed == 1)
    }
}
