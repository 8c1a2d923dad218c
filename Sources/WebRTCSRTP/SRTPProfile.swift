/// An SRTP protection profile negotiated by the DTLS `use_srtp` extension; raw values are the
/// IANA "DTLS-SRTP Protection Profiles" code points (RFC 5764 §4.1.2, RFC 7714 §14.2).
package enum SRTPProfile: UInt16, Sendable, CaseIterable {
    /// SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2).
    case aes128CmSha1_80 = 0x0001
    /// SRTP_AEAD_AES_128_GCM (RFC 7714 §14.2).
    case aeadAes128Gcm = 0x0007
    /// SRTP_AEAD_AES_256_GCM (RFC 7714 §14.2).
    case aeadAes256Gcm = 0x0008

    /// Master key length in bytes.
    package var keyLength: Int {
        switch self {
        case .aes128CmSha1_80, .aeadAes128Gcm: 16
        case .aeadAes256Gcm: 32
        }
    }

    /// Master salt length in bytes: 14 for AES-CM (RFC 3711 §8.2), 12 for GCM (RFC 7714 §8.1).
    package var saltLength: Int {
        switch self {
        case .aes128CmSha1_80: 14
        case .aeadAes128Gcm, .aeadAes256Gcm: 12
        }
    }

    /// Authentication tag length in bytes of SRTP and SRTCP packets (80-bit HMAC, 128-bit GCM tag).
    package var tagLength: Int {
        switch self {
        case .aes128CmSha1_80: 10
        case .aeadAes128Gcm, .aeadAes256Gcm: 16
        }
    }

    /// Bytes an SRTP packet grows by when protected.
    package var rtpOverhead: Int { tagLength }

    /// Bytes an SRTCP packet grows by when protected: the E flag + 31-bit index word, then the tag
    /// (RFC 3711 §3.4).
    package var rtcpOverhead: Int { 4 + tagLength }

    /// Length of one side's keying material (key then salt) as libsrtp expects it.
    var masterLength: Int { keyLength + saltLength }
}
