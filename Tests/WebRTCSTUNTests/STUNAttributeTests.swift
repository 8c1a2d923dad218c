import Testing
import WebRTCCore
@testable import WebRTCSTUN

@Suite struct STUNAttributeTests {
    @Test func turnAttributesRoundTrip() throws {
        let rnd = RandomSource(seed: 7)
        let tid = rnd.bytes(12)
        let peer = try #require(TransportAddress("[2001:db8::9]:4000"))
        let relayed = try #require(TransportAddress("203.0.113.5:50000"))
        let msg = STUNMessage(method: .allocate, cls: .successResponse, transactionID: tid, attributes: [
            .channelNumber(0x4001), .lifetime(600), .xorAddress(.xorPeerAddress, peer, transactionID: tid),
            .data([1, 2, 3, 4, 5]), .xorAddress(.xorRelayedAddress, relayed, transactionID: tid), .requestedTransport(),
            .dontFragment, .requestedAddressFamily(ipv6: true), .errorCode(438, reason: "Stale Nonce"),
            .unknownAttributes([0x0031, 0x7FFF]), .realm("r"), .nonce("n"), .mappedAddress(peer), .useCandidate,
            .iceControlling(42), STUNAttribute(type: STUNAttributeType(0x7777), value: [9, 9]),
        ])
        let bytes = msg.encode(fingerprint: true)
        #expect(bytes.count % 4 == 0)
        let m = try #require(STUNMessage.decode(bytes))
        #expect(m.channelNumber == 0x4001)
        #expect(m.lifetime == 600)
        #expect(m.xorPeerAddress == peer)
        #expect(m.data == [1, 2, 3, 4, 5])
        #expect(m.xorRelayedAddress == relayed)
        #expect(m.requestedTransport == 17)
        #expect(m.dontFragment)
        #expect(m.requestedAddressFamily == 2)
        #expect(m.errorCode == STUNErrorCode(code: 438, reason: "Stale Nonce"))
        #expect(m.unknownAttributes == [0x0031, 0x7FFF])
        #expect(m.realm == "r" && m.nonce == "n")
        #expect(m.mappedAddress == peer)
        #expect(m.useCandidate && m.iceControlling == 42 && m.iceControlled == nil)
        #expect(m.attribute(STUNAttributeType(0x7777))?.value == [9, 9], "unknown attributes are kept")
        #expect(m.unknownComprehensionRequired == [0x7777])
        #expect(m.verifyFingerprint())
        #expect(m.encode(fingerprint: true) == bytes)
    }

    @Test func attributesAfterIntegrityAreIgnored() throws {
        let tid = RandomSource(seed: 3).bytes(12)
        var bytes = STUNMessage(method: .binding, cls: .request, transactionID: tid, attributes: [.priority(1)]).encode(integrityKey: [1])
        bytes += [0x00, 0x24, 0x00, 0x04, 0, 0, 0, 2]  // a second PRIORITY after MESSAGE-INTEGRITY
        let len = bytes.count - 20
        bytes[2] = UInt8(len >> 8); bytes[3] = UInt8(len & 0xFF)
        let m = try #require(STUNMessage.decode(bytes))
        #expect(m.priority == 1)
        #expect(m.attributes.count == 1)
        #expect(m.verifyIntegrity(key: [1]))
    }

    @Test(arguments: [
        [UInt8](), [0, 1, 0, 0], [0, 1, 0, 4, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 0, count: 12),
        [0xC0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 0, count: 12),
        [0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x43] + [UInt8](repeating: 0, count: 12),
        [0, 1, 0, 8, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 0, count: 12) + [0, 6, 0, 9, 1, 2, 3, 4],
    ])
    func malformedRejected(_ bytes: [UInt8]) { #expect(STUNMessage.decode(bytes) == nil) }

    @Test func channelData() throws {
        let cd = TURNChannelData(channel: 0x4001, data: Array("hello".utf8))
        #expect(cd.encode().count == 9)
        #expect(cd.encode(pad: true).count == 12)
        #expect(TURNChannelData.decode(cd.encode()) == cd)
        #expect(TURNChannelData.decode(cd.encode(pad: true)) == cd)
        #expect(TURNChannelData.decode(Array(cd.encode().prefix(8))) == nil, "length longer than the datagram")
        #expect(TURNChannelData.decode([0x50, 0x00, 0, 0]) == nil, "channel above 0x4FFF")
        #expect(TURNChannelData.decode([0x3F, 0xFF, 0, 0]) == nil, "channel below 0x4000")
        #expect(TURNChannelData.streamFrameLength(cd.encode()[...]) == 12)
        #expect(TURNChannelData.streamFrameLength([0, 1, 0, 8][...]) == 28)
        #expect(TURNChannelData.streamFrameLength([0x80, 1, 0, 8][...]) == nil)
    }

    @Test func crcKnownAnswer() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
