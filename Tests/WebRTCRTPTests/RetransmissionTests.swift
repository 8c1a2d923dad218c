import Testing
import WebRTCCore
@testable import WebRTCRTP

@Suite("Retransmission buffer and RTX")
struct RetransmissionTests {
    func packet(_ seq: UInt16) -> RTPPacket {
        RTPPacket(payloadType: 96, sequenceNumber: seq, timestamp: 3000, ssrc: 0x1111, marker: true, csrcs: [5], payload: [UInt8(seq & 0xFF), 1, 2][...])
    }

    @Test("RTX wrap puts the OSN in the first two payload bytes and unwrap restores the packet")
    func wrapUnwrap() throws {
        var original = packet(0xABCD)
        try original.setHeaderExtensions([(1, [9])])
        let rtx = RTXPacket.wrap(original, rtxSSRC: 0x2222, rtxPayloadType: 97, rtxSequenceNumber: 7)
        let bytes = rtx.serialized()
        let parsed = try RTPPacket(parsing: bytes[...])
        #expect(parsed.ssrc == 0x2222 && parsed.payloadType == 97 && parsed.sequenceNumber == 7)
        #expect(Array(parsed.payload.prefix(2)) == [0xAB, 0xCD])
        #expect(parsed.timestamp == original.timestamp && parsed.marker && parsed.csrcs == [5])
        #expect(parsed.headerExtension(id: 1).map(Array.init) == [9])
        let restored = try #require(RTXPacket.unwrap(parsed, originalSSRC: 0x1111, originalPayloadType: 96))
        #expect(restored == original)
        #expect(restored.serialized() == original.serialized())
    }

    @Test("an RTX packet without room for the OSN is dropped and counted")
    func unwrapTooShort() {
        var drops = DropCounters()
        let rtx = RTPPacket(payloadType: 97, sequenceNumber: 1, timestamp: 0, ssrc: 2, payload: [1][...])
        #expect(RTXPacket.unwrap(rtx, originalSSRC: 1, originalPayloadType: 96, drops: &drops) == nil)
        #expect(drops[RTPDropReason.rtxTooShort] == 1)
    }

    @Test("the send history is bounded: old slots are overwritten and stale packets refused")
    func bounded() {
        var b = RetransmissionBuffer(capacity: 4, maxAge: .seconds(1))
        for seq: UInt16 in 1...6 { b.insert(packet(seq), sentAt: .milliseconds(Int64(seq) * 100)) }
        #expect(b.count == 4)
        #expect(b.packet(sequenceNumber: 1, at: .milliseconds(700)) == nil)
        #expect(b.packet(sequenceNumber: 2, at: .milliseconds(700)) == nil)
        #expect(b.packet(sequenceNumber: 5, at: .milliseconds(700)) == packet(5))
        #expect(b.packet(sequenceNumber: 3, at: .milliseconds(1300)) == packet(3))
        #expect(b.packet(sequenceNumber: 3, at: .milliseconds(1301)) == nil)  // older than 1 s
        #expect(b.packet(sequenceNumber: 9, at: .milliseconds(700)) == nil)   // same slot as 5, other seq
    }

    @Test("answering a NACK: buffer lookup plus RTX wrap, sequence numbers from the RTX space")
    func answerNack() throws {
        var b = RetransmissionBuffer()
        for seq: UInt16 in 100...120 { b.insert(packet(seq), sentAt: .zero) }
        let nack = RTCPGenericNACK(senderSSRC: 9, mediaSSRC: 0x1111, lost: [103, 110, 500])
        var rtxSeq: UInt16 = 65535
        var out: [RTPPacket] = []
        for seq in nack.sequenceNumbers {
            guard let p = b.packet(sequenceNumber: seq, at: .milliseconds(10)) else { continue }
            out.append(RTXPacket.wrap(p, rtxSSRC: 0x2222, rtxPayloadType: 97, rtxSequenceNumber: rtxSeq))
            rtxSeq &+= 1
        }
        #expect(out.map(\.sequenceNumber) == [65535, 0])
        #expect(out.compactMap { RTXPacket.unwrap($0, originalSSRC: 0x1111, originalPayloadType: 96)?.sequenceNumber } == [103, 110])
    }
}
