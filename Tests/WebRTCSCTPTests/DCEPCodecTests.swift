import Testing
@testable import WebRTCSCTP

extension SCTPSuite {
    @Suite struct DCEPCodec {
        static let parameterTable: [DataChannelParameters] = [
            DataChannelParameters(label: "a"),
            DataChannelParameters(label: "b", ordered: false),
            DataChannelParameters(label: "c", maxRetransmits: 0),
            DataChannelParameters(label: "d", ordered: false, maxRetransmits: 65535),
            DataChannelParameters(label: "e", maxPacketLifeTime: 0),
            DataChannelParameters(label: "f", protocol: "x", ordered: false, maxPacketLifeTime: 1500, priority: 512),
            DataChannelParameters(label: "", protocol: ""),
            DataChannelParameters(label: "ünïcødé 🎉", protocol: "日本"),
        ]

        @Test(arguments: parameterTable)
        func roundTrip(_ p: DataChannelParameters) throws {
            let bytes = DCEPMessage.open(DCEPOpen(parameters: p)).encode()
            guard case .success(.open(let open)) = DCEPMessage.decode(bytes) else {
                Issue.record("decode failed"); return
            }
            var expected = p
            expected.id = 7
            #expect(open.parameters(id: 7) == expected)
        }

        @Test(arguments: [
            (DCEPChannelType.reliable, UInt8(0x00)), (.reliableUnordered, 0x80),
            (.partialReliableRexmit, 0x01), (.partialReliableRexmitUnordered, 0x81),
            (.partialReliableTimed, 0x02), (.partialReliableTimedUnordered, 0x82),
        ])
        func channelTypeBytes(_ type: DCEPChannelType, _ byte: UInt8) {
            let bytes = DCEPMessage.open(DCEPOpen(channelType: type, reliability: 3, label: "l")).encode()
            #expect(bytes[1] == byte)
            #expect(type.ordered == (byte & 0x80 == 0))
        }

        /// RFC 8832 §5.1 layout, byte for byte.
        @Test func knownLayout() {
            let bytes = DCEPMessage.open(DCEPOpen(channelType: .partialReliableRexmit, priority: 0x0100,
                                                  reliability: 0x01020304, label: "ab", protocol: "c")).encode()
            #expect(bytes == [0x03, 0x01, 0x01, 0x00, 0x01, 0x02, 0x03, 0x04, 0x00, 0x02, 0x00, 0x01, 0x61, 0x62, 0x63])
            #expect(DCEPMessage.ack.encode() == [0x02])
        }

        @Test func reliabilityClampsTo65535() {
            let open = DCEPOpen(channelType: .partialReliableTimed, reliability: 1_000_000, label: "x")
            #expect(open.parameters(id: 1).maxPacketLifeTime == 65535)
            let rex = DCEPOpen(channelType: .partialReliableRexmitUnordered, reliability: 70_000, label: "x")
            #expect(rex.parameters(id: 1).maxRetransmits == 65535)
        }

        @Test func maximalLabelAndProtocol() throws {
            let big = String(repeating: "x", count: 65535)
            let bytes = DCEPMessage.open(DCEPOpen(channelType: .reliable, label: big, protocol: big)).encode()
            #expect(bytes.count == 12 + 2 * 65535)
            guard case .success(.open(let o)) = DCEPMessage.decode(bytes) else { Issue.record("decode"); return }
            #expect(o.label.utf8.count == 65535 && o.protocol.utf8.count == 65535)
        }

        static let malformed: [([UInt8], DCEPMessage.DecodeError)] = [
            ([], .empty),
            ([0x07], .unknownType),
            ([0x03], .truncated),
            ([0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01], .truncated),
            ([0x03, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .unknownChannelType),
            // label length 4 but 3 bytes follow
            ([0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0x61, 0x62, 0x63], .lengthMismatch),
            // protocol length overruns (0xFFFF)
            ([0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0x61], .lengthMismatch),
            // aiortc-style: protocol "é" (2 bytes) announced as 1 character
            ([0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0x61, 0xC3, 0xA9], .lengthMismatch),
            ([0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0xFF], .invalidUTF8),
        ]

        @Test(arguments: malformed)
        func rejectsMalformed(_ bytes: [UInt8], _ error: DCEPMessage.DecodeError) {
            #expect(DCEPMessage.decode(bytes) == .failure(error))
        }

        @Test func ackIgnoresTrailingBytes() {
            #expect(DCEPMessage.decode([0x02, 0x99]) == .success(.ack))
        }
    }
}
