/// Builds the two SRTP sessions of one DTLS-SRTP association from exported keying material.
package struct SRTPContextPair {
    /// The four parts of the `EXTRACTOR-dtls_srtp` output, RFC 5764 §4.2:
    /// client_write_SRTP_master_key | server_write_SRTP_master_key |
    /// client_write_SRTP_master_salt | server_write_SRTP_master_salt.
    package struct KeyingMaterial: Equatable, Sendable {
        /// The DTLS client's master key.
        package var clientKey: [UInt8]
        /// The DTLS server's master key.
        package var serverKey: [UInt8]
        /// The DTLS client's master salt.
        package var clientSalt: [UInt8]
        /// The DTLS server's master salt.
        package var serverSalt: [UInt8]

        /// Splits `blob`, which must be exactly `2 × (keyLength + saltLength)` bytes for `profile`.
        package init(_ blob: [UInt8], profile: SRTPProfile) throws {
            let k = profile.keyLength, s = profile.saltLength
            guard blob.count == 2 * (k + s) else { throw SRTPError(.badKeyLength) }
            clientKey = Array(blob[0..<k])
            serverKey = Array(blob[k..<2 * k])
            clientSalt = Array(blob[2 * k..<2 * k + s])
            serverSalt = Array(blob[2 * k + s..<2 * k + 2 * s])
        }

        /// The number of bytes to export for `profile` (`SSL_export_keying_material` length).
        package static func length(for profile: SRTPProfile) -> Int {
            2 * (profile.keyLength + profile.saltLength)
        }
    }

    /// Creates the outbound and inbound sessions. RFC 5764 §4.2: each side protects what it
    /// sends with its own write key, so the DTLS client's outbound session uses the client key and
    /// salt and its inbound session the server's; the server does the reverse.
    package static func fromDTLS(keyingMaterial: [UInt8], profile: SRTPProfile, isClient: Bool,
                                 replayWindow: Int = 1024) throws
        -> (outbound: SRTPSession, inbound: SRTPSession) {
        let parts = try KeyingMaterial(keyingMaterial, profile: profile)
        let local = isClient ? (parts.clientKey, parts.clientSalt) : (parts.serverKey, parts.serverSalt)
        let remote = isClient ? (parts.serverKey, parts.serverSalt) : (parts.clientKey, parts.clientSalt)
        let outbound = try SRTPSession(profile: profile, key: local.0, salt: local.1,
                                       direction: .outbound, replayWindow: replayWindow)
        let inbound = try SRTPSession(profile: profile, key: remote.0, salt: remote.1,
                                      direction: .inbound, replayWindow: replayWindow)
        return (outbound, inbound)
    }
}
