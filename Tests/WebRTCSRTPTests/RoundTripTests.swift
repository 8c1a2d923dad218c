import Testing
@testable import WebRTCSRTP

@Suite("Round trips over DTLS-SRTP keying material")
struct RoundTripTests {
    @Test("keying material splits as client key | server key | client salt | server salt",
          arguments: SRTPProfile.allCases)
    func split(_ profile: SRTPProfile) throws {
        let blob = keyingBlob(profile)
        let k = profile.keyLength, s = profile.saltLength
        let parts = try SRTPContextPair.KeyingMaterial(blob, profile: profile)
        #expect(parts.clientKey == Array(blob[0..<k]))
        #expect(parts.serverKey == Array(blob[k..<2 * k]))
        #expect(parts.clientSalt == Array(blob[2 * k..<2 * k + s]))
        #expect(parts.serverSalt == Array(blob[(2 * k + s)...]))
        #expect(blob.count == [60, 56, 88][SRTPProfile.allCases.firstIndex(of: profile)!])
    }

    @Test("wrong keying-material length is rejected", arguments: SRTPProfile.allCases)
    func wrongLength(_ profile: SRTPProfile) {
        for delta in [-1, 1] {
            let blob = [UInt8](repeating: 1, count: SRTPContextPair.KeyingMaterial.length(for: profile) + delta)
            #expect(throws: SRTPError(.badKeyLength)) {
                _ = try SRTPContextPair.fromDTLS(keyingMaterial: blob, profile: profile, isClient: true)
            }
        }
    }

    @Test("client → server and server → client, RTP and RTCP", arguments: SRTPProfile.allCases)
    func bothWays(_ profile: SRTPProfile) throws {
        let blob = keyingBlob(profile)
        let client = try SRTPContextPair.fromDTLS(keyingMaterial: blob, profile: profile, isClient: true)
        let server = try SRTPContextPair.fromDTLS(keyingMaterial: blob, profile: profile, isClient: false)
        for (sender, receiver) in [(client.outbound, server.inbound), (server.outbound, client.inbound)] {
            for seq in UInt16(1)...20 {
                let payload = (0..<(seq == 20 ? 1200 : Int(seq) * 13)).map { UInt8(truncatingIfNeeded: $0 &+ Int(seq)) }
                let plain = makeRTP(seq: seq, marker: seq % 2 == 0, payload: payload)
                var packet = plain
                packet.reserveCapacity(plain.count + 144)
                try sender.protectRTP(&packet)
                #expect(packet.count == plain.count + profile.rtpOverhead)
                #expect(packet[0..<12] == plain[0..<12])          // header stays clear
                #expect(packet[12..<plain.count] != plain[12...]) // payload is encrypted
                #expect(receiver.unprotectRTP(&packet))
                #expect(packet == plain)

                let rtcpPlain = makeRTCP(extraWords: Int(seq % 5))
                var rtcp = rtcpPlain
                try sender.protectRTCP(&rtcp)
                #expect(rtcp.count == rtcpPlain.count + profile.rtcpOverhead)
                #expect(receiver.unprotectRTCP(&rtcp))
                #expect(rtcp == rtcpPlain)
            }
            #expect(receiver.drops.total == 0)
        }
    }

    @Test("a side cannot read its own outbound traffic (distinct keys per direction)",
          arguments: SRTPProfile.allCases)
    func ownKeyRejected(_ profile: SRTPProfile) throws {
        let client = try SRTPContextPair.fromDTLS(keyingMaterial: keyingBlob(profile), profile: profile, isClient: true)
        var packet = makeRTP(seq: 1, payload: [1, 2, 3, 4])
        try client.outbound.protectRTP(&packet)
        #expect(!client.inbound.unprotectRTP(&packet))
        #expect(client.inbound.drops[SRTPDropReason.rtpAuthFail] == 1)
    }

    @Test("many SSRCs share one session", arguments: SRTPProfile.allCases)
    func manySSRCs(_ profile: SRTPProfile) throws {
        let blob = keyingBlob(profile)
        let tx = try SRTPContextPair.fromDTLS(keyingMaterial: blob, profile: profile, isClient: true).outbound
        let rx = try SRTPContextPair.fromDTLS(keyingMaterial: blob, profile: profile, isClient: false).inbound
        for ssrc in UInt32(1)...8 {
            for seq in UInt16(100)...103 {
                let plain = makeRTP(seq: seq, ssrc: ssrc &* 0x0101_0101, payload: [UInt8](repeating: UInt8(ssrc), count: 40))
                var p = plain
                try tx.protectRTP(&p)
                #expect(rx.unprotectRTP(&p))
                #expect(p == plain)
            }
        }
    }
}
