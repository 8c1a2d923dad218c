import Testing
import WebRTCCore
@testable import WebRTCSTUN

/// Seeded mutation smoke: decoding and every accessor must never trap.
@Suite struct STUNFuzzTests {
    @Test func mutationSmoke() {
        let seed: UInt64 = 0x5EED_5707
        print("STUNFuzzTests.mutationSmoke seed=\(seed)")
        let rnd = RandomSource(seed: seed)
        let corpus: [[UInt8]] = [RFC5769.request, RFC5769.ipv4Response, RFC5769.ipv6Response, RFC5769.longTermRequest,
                                 TURNChannelData(channel: 0x4000, data: rnd.bytes(33)).encode(pad: true)]
        var decoded = 0
        for i in 0..<25_000 {
            var b = corpus[i % corpus.count]
            switch rnd.uniform(0...4) {
            case 0: b = rnd.bytes(rnd.uniform(0...120))
            case 1: b = Array(b.prefix(rnd.uniform(0...b.count)))
            case 2: for _ in 0...rnd.uniform(0...6) where !b.isEmpty { b[rnd.uniform(0...(b.count - 1))] ^= UInt8(1 << rnd.uniform(0...7)) }
            case 3:
                let body = rnd.bytes(4 * rnd.uniform(0...30))
                b = [0, 1, UInt8(body.count >> 8), UInt8(body.count & 0xFF), 0x21, 0x12, 0xA4, 0x42] + RFC5769.transactionID + body
            default:
                for _ in 0...rnd.uniform(0...3) where b.count > 24 { b[rnd.uniform(20...(b.count - 1))] = UInt8(truncatingIfNeeded: rnd.next()) }
            }
            if let m = STUNMessage.decode(b) {
                decoded += 1
                _ = m.verifyIntegrity(key: [1, 2]); _ = m.verifyIntegritySHA256(key: [3]); _ = m.verifyFingerprint()
                _ = (m.username, m.realm, m.nonce, m.software, m.mappedAddress, m.xorMappedAddress, m.xorPeerAddress, m.xorRelayedAddress)
                _ = (m.errorCode, m.unknownAttributes, m.priority, m.useCandidate, m.iceControlling, m.iceControlled, m.lifetime, m.data)
                _ = (m.channelNumber, m.requestedTransport, m.requestedAddressFamily, m.unknownComprehensionRequired)
                _ = m.encode(integrityKey: [1], fingerprint: true)
            }
            _ = TURNChannelData.decode(b)
            _ = TURNChannelData.streamFrameLength(b[...])
            _ = PacketClass(b)
        }
        #expect(decoded > 1000, "the mutator should keep producing decodable messages (\(decoded))")
    }
}
