import Testing
import WebRTCCore
@testable import WebRTCRTP

@Suite("RTP packet")
struct RTPPacketTests {
    @Test("a packet with CSRCs, extension, payload and padding round-trips")
    func roundTrip() throws {
        var p = RTPPacket(payloadType: 111, sequenceNumber: 0xFFFF, timestamp: 0xDEAD_BEEF, ssrc: 0x0102_0304,
                          marker: true, csrcs: [7, 8], payload: [1, 2, 3, 4, 5][...], paddingLength: 3)
        try p.setHeaderExtensions([(id: 1, data: [0xAA]), (id: 3, data: [1, 2, 3])])
        let bytes = p.serialized()
        #expect(bytes[0] == 0x80 | 0x20 | 0x10 | 2)
        #expect(bytes[1] == 0x80 | 111)
        #expect(bytes.last == 3)
        let q = try RTPPacket(parsing: bytes[...])
        #expect(q == p)
        #expect(q.headerLength == bytes.count - 5 - 3)
        #expect(q.serialized() == bytes)
    }

    @Test("the payload is a slice of the input, also for an input slice not starting at 0")
    func payloadIsSlice() throws {
        let bytes = [0xFF] + rtpHeader(seq: 9) + [9, 8, 7]
        let p = try RTPPacket(parsing: bytes[1...])
        #expect(p.payload.startIndex == 13)
        #expect(Array(p.payload) == [9, 8, 7])
        #expect(p.sequenceNumber == 9)
        #expect(p.csrcs.isEmpty && p.extensionProfile == nil)
    }

    // RFC 8285 §4.2 figure: ID=1 L=0 (1 byte), ID=2 L=1 (2 bytes), two padding bytes, ID=3 L=3 (4 bytes).
    static let oneByteExample = hex("BEDE 0003  10 AA  21 BB CC  00 00  33 D1 D2 D3 D4")
    // RFC 8285 §4.3 figure: ID L=0 (empty), ID L=1, one padding byte, ID L=4.
    static let twoByteExample = hex("1000 0003  01 00  02 01 BB  00  03 04 D1 D2 D3 D4")

    @Test("RFC 8285 §4.2 one-byte example: elements read by id, padding skipped")
    func oneByteVector() throws {
        var header = rtpHeader(seq: 1)
        header[0] |= 0x10
        let p = try RTPPacket(parsing: (header + Self.oneByteExample + [0x55])[...])
        #expect(p.extensionProfile == 0xBEDE)
        #expect(p.headerExtension(id: 1).map(Array.init) == [0xAA])
        #expect(p.headerExtension(id: 2).map(Array.init) == [0xBB, 0xCC])
        #expect(p.headerExtension(id: 3).map(Array.init) == [0xD1, 0xD2, 0xD3, 0xD4])
        #expect(p.headerExtension(id: 4) == nil)
        #expect(Array(p.payload) == [0x55])
        // Writing the same set produces the same block (the padding moves to the end).
        var q = p
        try q.setHeaderExtensions([(1, [0xAA]), (2, [0xBB, 0xCC]), (3, [0xD1, 0xD2, 0xD3, 0xD4])])
        #expect(q.extensionProfile == 0xBEDE)
        #expect(Array(q.extensionData) == hex("10 AA 21 BB CC 33 D1 D2 D3 D4 00 00"))
    }

    @Test("RFC 8285 §4.3 two-byte example: empty element, padding byte, 4-byte element")
    func twoByteVector() throws {
        var header = rtpHeader(seq: 1)
        header[0] |= 0x10
        let p = try RTPPacket(parsing: (header + Self.twoByteExample)[...])
        #expect(p.headerExtensionElements.isTwoByte)
        #expect(p.headerExtension(id: 1).map(Array.init) == [])
        #expect(p.headerExtension(id: 2).map(Array.init) == [0xBB])
        #expect(p.headerExtension(id: 3).map(Array.init) == [0xD1, 0xD2, 0xD3, 0xD4])
        // An empty value forces the two-byte form when writing.
        var q = p
        try q.setHeaderExtensions([(1, []), (2, [0xBB]), (3, [0xD1, 0xD2, 0xD3, 0xD4])])
        #expect(q.extensionProfile == 0x1000)
        #expect(Array(q.extensionData) == hex("01 00 02 01 BB 03 04 D1 D2 D3 D4 00"))
    }

    @Test("one-byte id 15 stops parsing; an element past the block is reported malformed")
    func extensionEdgeCases() throws {
        let stop = RTPHeaderExtensionElements(profile: 0xBEDE, data: hex("10 AA F0 00 20 BB 00 00")[...])
        #expect(Array(stop).map(\.id) == [1])
        let overrun = RTPHeaderExtensionElements(profile: 0xBEDE, data: hex("10 AA 23 BB")[...])
        #expect(overrun.isMalformed)
        #expect(Array(overrun).map(\.id) == [1])
        // Found by fuzz-rtp: a one-byte element with id 0 and a length is not padding.
        let idZero = RTPHeaderExtensionElements(profile: 0xBEDE, data: hex("00 00 01 70 61 00 00 00")[...])
        #expect(idZero.isMalformed && Array(idZero).isEmpty)
        let unknown = RTPHeaderExtensionElements(profile: 0x1234, data: hex("10 AA 00 00")[...])
        #expect(Array(unknown).isEmpty)
        var p = RTPPacket(payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0)
        #expect(throws: RTPHeaderExtensions.WriteError.badID(0)) { try p.setHeaderExtensions([(0, [1])]) }
        #expect(throws: RTPHeaderExtensions.WriteError.duplicateID(2)) { try p.setHeaderExtensions([(2, [1]), (2, [2])]) }
        try p.setHeaderExtensions([(200, [1])])
        #expect(p.extensionProfile == 0x1000)
        try p.setHeaderExtensions([])
        #expect(p.extensionProfile == nil && p.serialized()[0] & 0x10 == 0)
    }

    @Test("extension map: negotiated URIs give typed values for the six WebRTC extensions")
    func extensionMap() throws {
        let map = RTPHeaderExtensionMap([
            (1, "urn:ietf:params:rtp-hdrext:sdes:mid"),
            (2, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"),
            (3, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"),
            (4, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"),
            (5, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"),
            (6, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
            (7, "urn:example:unknown"),
        ])
        #expect(map.id(for: .audioLevel) == 6)
        var p = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3)
        typealias V = RTPHeaderExtensionMap.Value
        try p.setHeaderExtensions([
            (1, V.string("0")), (2, V.string("hi")), (3, V.string("lo")),
            (4, V.absSendTime(nanoseconds: 1_500_000_000)), (5, V.transportSequenceNumber(0xBEEF)),
            (6, V.audioLevel(voiceActivity: true, level: 30)),
        ])
        let q = try RTPPacket(parsing: p.serialized()[...])
        #expect(map.mid(in: q) == "0")
        #expect(map.rtpStreamID(in: q) == "hi")
        #expect(map.repairedRTPStreamID(in: q) == "lo")
        #expect(map.absSendTime(in: q) == 0x06_0000)  // 1.5 s in 6.18 fixed point
        #expect(map.transportSequenceNumber(in: q) == 0xBEEF)
        #expect(map.audioLevel(in: q)?.voiceActivity == true)
        #expect(map.audioLevel(in: q)?.level == 30)
        // Not negotiated: nil even though the element is present.
        #expect(RTPHeaderExtensionMap().mid(in: q) == nil)
    }

    /// Each malformed input is dropped with its reason, and a valid packet right after still parses.
    @Test("malformed RTP packets are dropped with a named reason", arguments: [
        (hex("80 60 00 01"), RTPDropReason.tooShort),
        (hex("40 60 00 01 00000000 00000001 AA"), RTPDropReason.badVersion),
        (hex("C0 60 00 01 00000000 00000001 AA"), RTPDropReason.badVersion),
        (hex("A0 60 00 01 00000000 00000001 AA BB 00"), RTPDropReason.badPadding),       // pad count 0
        (hex("A0 60 00 01 00000000 00000001 AA BB 04"), RTPDropReason.badPadding),       // 4 > 3 bytes left
        (hex("A0 60 00 01 00000000 00000001"), RTPDropReason.badPadding),                // P set, no byte
        (hex("90 60 00 01 00000000 00000001 BEDE 0002 10AA0000"), RTPDropReason.extensionOverflow),
        (hex("90 60 00 01 00000000 00000001 BE"), RTPDropReason.extensionOverflow),
        (hex("82 60 00 01 00000000 00000001 00000002"), RTPDropReason.csrcOverflow),
    ])
    func malformed(_ bytes: [UInt8], _ reason: String) {
        var drops = DropCounters()
        #expect(RTPPacket(bytes[...], drops: &drops) == nil)
        #expect(drops[reason] == 1)
        #expect(drops.total == 1)
        let valid = rtpHeader(seq: 5) + [1]
        #expect(RTPPacket(valid[...], drops: &drops)?.sequenceNumber == 5)
        #expect(drops.total == 1)
    }
}
