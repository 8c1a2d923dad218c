import Testing
@testable import WebRTCSRTP

/// TESTING.md B.10: malformed RTP/RTCP table, plus the well-formed shapes the views must accept.
@Suite("RTP/RTCP views and demux")
struct ViewTests {
    // MARK: RTP

    @Test("a full RTP header parses: CSRCs, one-byte extension, padding")
    func rtpFull() throws {
        var p: [UInt8] = [0xB2, 0xE0, 0x12, 0x34, 0, 0, 0x10, 0, 0xCA, 0xFE, 0xBA, 0xBE] // V2 P X CC=2, M, PT 96
        p += be32(0x1111_1111) + be32(0x2222_2222)
        p += [0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00]   // RFC 8285 one-byte, 1 word
        p += [1, 2, 3, 4, 5]                                     // payload
        p += [0, 0, 3]                                           // 3 bytes padding
        let v = try #require(RTPHeaderView(p))
        #expect(v.version == 2 && v.padding && v.hasExtension && v.marker)
        #expect(v.payloadType == 96 && v.sequenceNumber == 0x1234 && v.timestamp == 0x1000)
        #expect(v.ssrc == 0xCAFE_BABE)
        #expect(v.csrcs == [0x1111_1111, 0x2222_2222])
        #expect(v.extensionProfile == 0xBEDE)
        #expect(v.extensionRange.map { Array(p[$0]) } == [0x10, 0xAA, 0x00, 0x00])
        #expect(v.headerLength == 28)
        #expect(Array(p[v.payloadRange]) == [1, 2, 3, 4, 5])
        #expect(v.paddingLength == 3)
    }

    @Test("ranges are indices of the slice passed in")
    func rtpSliceIndices() throws {
        let buffer: [UInt8] = [0xFF, 0xFF] + makeRTP(seq: 9, payload: [7, 8])
        let v = try #require(RTPHeaderView(buffer[2...]))
        #expect(v.sequenceNumber == 9)
        #expect(Array(buffer[v.payloadRange]) == [7, 8])
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    static let header: [UInt8] = [0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2]

    static let malformedRTP: [Malformed] = [
        Malformed(name: "empty", bytes: []),
        Malformed(name: "11 bytes", bytes: Array(header[0..<11])),
        Malformed(name: "version 0", bytes: [0x00] + header.dropFirst() + [1]),
        Malformed(name: "version 1", bytes: [0x40] + header.dropFirst() + [1]),
        Malformed(name: "version 3", bytes: [0xC0] + header.dropFirst() + [1]),
        Malformed(name: "padding bit, no bytes after header", bytes: [0xA0] + header.dropFirst()),
        Malformed(name: "padding count 0", bytes: [0xA0] + header.dropFirst() + [1, 2, 0]),
        Malformed(name: "padding count past the payload", bytes: [0xA0] + header.dropFirst() + [1, 2, 4]),
        Malformed(name: "padding count 255", bytes: [0xA0] + header.dropFirst() + [1, 2, 255]),
        Malformed(name: "CSRC count 1, none present", bytes: [0x81] + header.dropFirst()),
        Malformed(name: "CSRC count 15, two present", bytes: [0x8F] + header.dropFirst() + [UInt8](repeating: 0, count: 8)),
        Malformed(name: "CSRC count 2, 7 bytes present", bytes: [0x82] + header.dropFirst() + [UInt8](repeating: 0, count: 7)),
        Malformed(name: "extension bit, no extension header", bytes: [0x90] + header.dropFirst()),
        Malformed(name: "extension bit, 3-byte extension header", bytes: [0x90] + header.dropFirst() + [0xBE, 0xDE, 0]),
        Malformed(name: "extension length 0xFFFF", bytes: [0x90] + header.dropFirst() + [0xBE, 0xDE, 0xFF, 0xFF, 1, 2, 3, 4]),
        Malformed(name: "extension length 2, 1 word present", bytes: [0x90] + header.dropFirst() + [0xBE, 0xDE, 0, 2, 1, 2, 3, 4]),
        Malformed(name: "CSRC + extension overflow", bytes: [0x91] + header.dropFirst() + be32(5) + [0x10, 0x00, 0, 1]),
        Malformed(name: "padding count reaches into the extension", bytes: [0xB0] + header.dropFirst() + [0xBE, 0xDE, 0, 1, 0, 0, 0, 0, 2, 9]),
    ]

    @Test("malformed RTP is rejected; the next valid packet still parses", arguments: malformedRTP)
    func rtpMalformed(_ m: Malformed) {
        #expect(RTPHeaderView(m.bytes) == nil)
        let next = makeRTP(seq: 2, payload: [1, 2, 3])
        #expect(RTPHeaderView(next)?.payloadRange == 12..<15)
    }

    @Test("padding count that exactly fills the payload is accepted")
    func rtpPaddingBoundary() throws {
        let p = [0xA0] + Self.header.dropFirst() + [0, 0, 3]
        let v = try #require(RTPHeaderView(p))
        #expect(v.payloadRange.isEmpty && v.paddingLength == 3)
    }

    @Test("every truncation of a full RTP packet parses or is rejected without a trap")
    func rtpTruncationSweep() {
        var p: [UInt8] = [0xB1, 0xE0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2] + be32(3) + [0xBE, 0xDE, 0, 1, 1, 2, 3, 4, 9, 9, 2]
        for n in 0...p.count { _ = RTPHeaderView(p[0..<n]) }
        // Only the full packet is consistent here (the padding byte is the last one).
        #expect(RTPHeaderView(p) != nil)
        p.removeLast()
        #expect(RTPHeaderView(p) == nil) // padding count 9 now exceeds the payload
    }

    // MARK: RTCP

    static let senderReport: [UInt8] = [0x80, 200, 0, 6] + be32(0xCAFE_BABE) + [UInt8](repeating: 0, count: 20)
    static let sdes: [UInt8] = [0x81, 202, 0, 2] + be32(0xCAFE_BABE) + [1, 2, 0x41, 0]

    @Test("a compound SR + SDES splits into two packets")
    func rtcpCompound() throws {
        let p = Self.senderReport + Self.sdes
        let views = try #require(RTCPPacketView.compound(p))
        #expect(views.map(\.packetType) == [200, 202])
        #expect(views.map(\.ssrc) == [0xCAFE_BABE, 0xCAFE_BABE])
        #expect(views[0].range == 0..<28 && views[1].range == 28..<40)
        #expect(views[1].count == 1)
        #expect(views[1].bodyRange == 32..<40)
    }

    @Test("padding on the last RTCP packet is accepted and excluded from the body")
    func rtcpPadding() throws {
        let padded: [UInt8] = [0xA0, 201, 0, 2] + be32(7) + [0, 0, 0, 4]
        let views = try #require(RTCPPacketView.compound(Self.senderReport + padded))
        #expect(views[1].paddingLength == 4 && views[1].bodyRange.count == 4)
    }

    static let malformedRTCP: [Malformed] = [
        Malformed(name: "empty", bytes: []),
        Malformed(name: "3 bytes", bytes: [0x80, 201, 0]),
        Malformed(name: "version 1", bytes: [0x40, 201, 0, 1] + be32(1)),
        Malformed(name: "not an RTCP packet type", bytes: [0x80, 96, 0, 1] + be32(1)),
        Malformed(name: "length past the end", bytes: [0x80, 201, 0, 10] + be32(1)),
        Malformed(name: "length 0xFFFF", bytes: [0x80, 201, 0xFF, 0xFF] + be32(1)),
        Malformed(name: "second packet's length past the end", bytes: senderReport + [0x81, 202, 0, 5] + be32(1)),
        Malformed(name: "trailing 2 bytes", bytes: senderReport + [0x80, 201]),
        Malformed(name: "trailing 3 bytes", bytes: senderReport + [0x80, 201, 0]),
        Malformed(name: "padding count 0", bytes: [0xA0, 201, 0, 2] + be32(1) + [0, 0, 0, 0]),
        Malformed(name: "padding count past the body", bytes: [0xA0, 201, 0, 2] + be32(1) + [0, 0, 0, 9]),
        Malformed(name: "padding with an empty body", bytes: [0xA0, 201, 0, 0]),
        Malformed(name: "padding on a packet that is not last", bytes: [0xA0, 201, 0, 2] + be32(1) + [0, 0, 0, 4] + sdes),
    ]

    @Test("malformed RTCP is rejected; the next valid compound still parses", arguments: malformedRTCP)
    func rtcpMalformed(_ m: Malformed) {
        #expect(RTCPPacketView.compound(m.bytes) == nil)
        #expect(RTCPPacketView.compound(Self.senderReport + Self.sdes)?.count == 2)
    }

    @Test("every truncation of a compound RTCP packet is rejected or shorter, without a trap")
    func rtcpTruncationSweep() {
        let p = Self.senderReport + Self.sdes
        for n in 0..<p.count {
            let views = RTCPPacketView.compound(p[0..<n])
            #expect(views == nil || n == 28, "length \(n)")
        }
    }

    // MARK: Demux

    static let demuxCases: [(UInt8, Bool)] = [
        (200, true), (201, true), (192, true), (223, true), (206, true),
        (96, false), (96 | 0x80, false), (0, false), (127, false), (191, false), (224, false), (0x80 | 111, false),
        (64, true), (95, true), (63, false),
    ]

    @Test("RFC 5761 §4 demux by payload type", arguments: demuxCases)
    func demux(_ secondByte: UInt8, _ isRTCP: Bool) {
        #expect(RTPDemux.isRTCP([0x80, secondByte, 0, 0]) == isRTCP)
    }

    @Test("short packets are not RTCP")
    func demuxShort() {
        #expect(!RTPDemux.isRTCP([]))
        #expect(!RTPDemux.isRTCP([0x80]))
    }
}
