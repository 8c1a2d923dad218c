import Testing
@testable import WebRTCSRTP

// Known answers.
//
// Packet vectors: data bytes copied from libsrtp v2.5.0 test/srtp_driver.c (cisco/libsrtp),
// functions srtp_validate() (AES_CM_128_HMAC_SHA1_80, master key/salt = `test_key`, which is also
// RFC 3711 Appendix B.3's master key/salt) and srtp_validate_gcm() (AEAD_AES_128_GCM,
// `test_key_gcm`). Keystream and key-derivation values: RFC 3711 Appendix B.2 and B.3.

private enum Vectors {
    // RFC 3711 B.3 master key and master salt (= libsrtp srtp_driver.c `test_key`, first 30 bytes).
    static let masterKey = hex("E1F97A0D3E018BE0D64FA32C06DE4139")
    static let masterSalt = hex("0EC675AD498AFEEBB6960B3AABE6")

    // srtp_driver.c srtp_validate(): srtp_plaintext_ref / srtp_ciphertext.
    static let rtpPlain = hex("""
        800f1234decafbadcafebabe abababababababababababababababab
        """)
    static let rtpProtectedCM = hex("""
        800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb
        """)
    // srtp_validate(): rtcp_plaintext_ref / srtcp_ciphertext.
    static let rtcpPlain = hex("81c8000bcafebabe abababababababababababababababab")
    static let rtcpProtectedCM = hex("""
        81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798
        """)

    // srtp_validate_gcm(): `test_key_gcm` (16-byte key, 12-byte salt) and ciphertexts.
    static let gcmKey = hex("000102030405060708090a0b0c0d0e0f")
    static let gcmSalt = hex("a0a1a2a3a4a5a6a7a8a9aaab")
    static let rtpProtectedGCM = hex("""
        800f1234decafbadcafebabe c5002ede04cfdd2eb91159e0880aa06e d2976826f796b201df3131a127e8a392
        """)
    static let rtcpProtectedGCM = hex("""
        81c8000bcafebabe c98b8b5df0392a55852b6c21ac8e7025 c52c6fbea2b3b446ea31123ba88ce61e 80000001
        """)
}

@Suite("Known answers")
struct KnownAnswerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let profile: SRTPProfile
        let key: [UInt8], salt: [UInt8]
        let rtp: [UInt8], rtcp: [UInt8]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "AES_CM_128_HMAC_SHA1_80", profile: .aes128CmSha1_80,
             key: Vectors.masterKey, salt: Vectors.masterSalt,
             rtp: Vectors.rtpProtectedCM, rtcp: Vectors.rtcpProtectedCM),
        Case(name: "AEAD_AES_128_GCM", profile: .aeadAes128Gcm,
             key: Vectors.gcmKey, salt: Vectors.gcmSalt,
             rtp: Vectors.rtpProtectedGCM, rtcp: Vectors.rtcpProtectedGCM),
    ]

    @Test("protect gives libsrtp's published SRTP/SRTCP bytes", arguments: cases)
    func protectMatches(_ c: Case) throws {
        let out = try SRTPSession(profile: c.profile, key: c.key, salt: c.salt, direction: .outbound)
        var rtp = Vectors.rtpPlain
        try out.protectRTP(&rtp)
        #expect(rtp == c.rtp)
        #expect(rtp.count == Vectors.rtpPlain.count + c.profile.rtpOverhead)
        var rtcp = Vectors.rtcpPlain
        try out.protectRTCP(&rtcp)
        #expect(rtcp == c.rtcp)
        #expect(rtcp.count == Vectors.rtcpPlain.count + c.profile.rtcpOverhead)
    }

    @Test("unprotect of the published bytes gives the plaintext", arguments: cases)
    func unprotectMatches(_ c: Case) throws {
        let inb = try SRTPSession(profile: c.profile, key: c.key, salt: c.salt, direction: .inbound)
        var rtp = c.rtp
        #expect(inb.unprotectRTP(&rtp))
        #expect(rtp == Vectors.rtpPlain)
        var rtcp = c.rtcp
        #expect(inb.unprotectRTCP(&rtcp))
        #expect(rtcp == Vectors.rtcpPlain)
        #expect(inb.drops.total == 0)
    }

    /// RFC 3711 B.2: AES-CM keystream for session key 2B7E…, salt F0F1…FD, SSRC 0, index 0,
    /// produced by the AES-ICM cipher inside libsrtp.
    @Test("RFC 3711 B.2 AES-CM keystream")
    func aesCMKeystream() throws {
        _ = try SRTPSession(profile: .aes128CmSha1_80, key: Vectors.masterKey, salt: Vectors.masterSalt,
                            direction: .outbound) // makes sure srtp_init() ran
        let cipher = try #require(LibSRTPAESICM(keyWithSalt: hex("2B7E151628AED2A6ABF7158809CF4F3C")
                                                 + hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD")))
        let stream = try #require(cipher.keystream(iv: [UInt8](repeating: 0, count: 16), count: 48))
        #expect(stream == hex("""
            E03EAD0935C95E80E166B16DD92B4EB4
            D23513162B02D0F72A43A2FE4A5F97AB
            41E95B3BB0A2E8DD477901E4FCA894C0
            """))
    }

    /// RFC 3711 B.3 / §4.3.3: session keys are AES-CM keystream under the master key with
    /// x = label ‖ r (r = 0) XORed into the master salt — label in salt byte 7.
    @Test("RFC 3711 B.3 key derivation")
    func keyDerivation() throws {
        _ = try SRTPSession(profile: .aes128CmSha1_80, key: Vectors.masterKey, salt: Vectors.masterSalt,
                            direction: .outbound)
        let prf = try #require(LibSRTPAESICM(keyWithSalt: Vectors.masterKey + Vectors.masterSalt))
        func derive(label: UInt8, count: Int) -> [UInt8]? {
            var iv = [UInt8](repeating: 0, count: 16)
            iv[7] = label
            return prf.keystream(iv: iv, count: count)
        }
        #expect(derive(label: 0, count: 16) == hex("C61E7A93744F39EE10734AFE3FF7A087"))
        #expect(derive(label: 1, count: 20) == hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"))
        #expect(derive(label: 2, count: 14) == hex("30CBBC08863D8C85D49DB34A9AE1"))
    }

    /// Ties B.3 to `srtp_protect`: the encrypted payload of the AES-CM known answer (master
    /// key/salt from B.3) equals the plaintext XOR the keystream under B.3's *session* key and
    /// salt with the RFC 3711 §4.1.1 IV (SSRC and index 0x1234), so our session derived exactly
    /// those keys.
    @Test("srtp_protect uses the B.3 session keys")
    func protectUsesDerivedSessionKeys() throws {
        let out = try SRTPSession(profile: .aes128CmSha1_80, key: Vectors.masterKey, salt: Vectors.masterSalt,
                                  direction: .outbound)
        var packet = Vectors.rtpPlain
        try out.protectRTP(&packet)
        let session = try #require(LibSRTPAESICM(keyWithSalt: hex("C61E7A93744F39EE10734AFE3FF7A087")
                                                  + hex("30CBBC08863D8C85D49DB34A9AE1")))
        // IV = (salt·2^16) XOR (SSRC·2^64) XOR (index·2^16); libsrtp XORs the salt in itself.
        let iv: [UInt8] = [0, 0, 0, 0, 0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 0, 0x12, 0x34, 0, 0]
        let stream = try #require(session.keystream(iv: iv, count: 16))
        let expected = zip(Vectors.rtpPlain[12..<28], stream).map { $0 ^ $1 }
        #expect(Array(packet[12..<28]) == expected)
    }
}
