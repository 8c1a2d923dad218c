/// Which side of the DTLS handshake this endpoint plays (RFC 5763 §5: `a=setup:active` is the client).
package enum DTLSRole: Sendable {
    case client, server
}

/// The DTLS-SRTP protection profiles we offer (RFC 5764 §4.1.2, RFC 7714 §14.2).
package enum SRTPProtectionProfile: UInt16, Sendable {
    case aes128CmSha1_80 = 0x0001
    case aeadAes128Gcm = 0x0007
    case aeadAes256Gcm = 0x0008

    /// Bytes of `EXTRACTOR-dtls_srtp` keying material for this profile:
    /// 2 × (master key + master salt), laid out client key | server key | client salt | server salt
    /// (RFC 5764 §4.2).
    package var keyingMaterialLength: Int { 2 * (keyLength + saltLength) }

    /// Master key length in bytes.
    package var keyLength: Int {
        switch self {
        case .aes128CmSha1_80, .aeadAes128Gcm: return 16
        case .aeadAes256Gcm: return 32
        }
    }

    /// Master salt length in bytes (RFC 3711 §8.2: 112 bits; RFC 7714 §12: 96 bits).
    package var saltLength: Int {
        switch self {
        case .aes128CmSha1_80: return 14
        case .aeadAes128Gcm, .aeadAes256Gcm: return 12
        }
    }
}

/// Why a DTLS engine failed.
package enum DTLSError: Error, Equatable, Sendable {
    /// The peer's certificate matched none of the remote `a=fingerprint`s (checked inside the handshake).
    case fingerprintMismatch
    /// The handshake did not complete within the give-up time of the retransmission schedule.
    case handshakeTimeout
    /// The peer sent a fatal alert with this description (RFC 5246 §7.2).
    case alertReceived(UInt8)
    /// Any other failure, with OpenSSL's reason text.
    case protocolError(String)
    /// The engine is closed.
    case closed
}

/// What the engine reports to its owner; drained with `pollEvent()`.
package enum DTLSEvent: Sendable {
    /// The handshake finished and the peer certificate matched a remote fingerprint.
    case connected
    /// One decrypted application-data record.
    case applicationData([UInt8])
    /// We sent an alert (description, fatal?).
    case alertSent(UInt8, fatal: Bool)
    /// We received an alert (description, fatal?).
    case alertReceived(UInt8, fatal: Bool)
    /// The engine failed; it sends and accepts nothing more.
    case failed(DTLSError)
    /// The peer sent close_notify.
    case closed
}

/// The engine's lifecycle (mirrors `RTCDtlsTransportState`).
package enum DTLSState: Sendable {
    case new, connecting, connected, closed, failed
}
