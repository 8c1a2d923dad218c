/// Cheap checks on DTLS record framing (RFC 6347 §4.1), done before OpenSSL sees a datagram so
/// junk is dropped and counted without touching the handshake.
enum DTLSRecordFilter {
    /// DTLS record header: type(1) version(2) epoch(2) sequence(6) length(2).
    static let headerLength = 13

    /// The shortest protected record our cipher suites produce: AES-GCM's 8-byte explicit nonce and
    /// 16-byte tag around an empty plaintext (RFC 5288 §3). OpenSSL 3.0 treats a shorter record in
    /// the current epoch as an internal error and tears the connection down, so one forged
    /// 20-byte datagram would kill an association; such records are dropped here instead.
    static let minimumProtectedLength = 24

    /// True when the datagram is one or more complete DTLS records with a DTLS 1.x version and a
    /// content type of change_cipher_spec, alert, handshake or application_data, and every
    /// protected record (epoch ≥ 1) is long enough to be genuine.
    static func isWellFramed(_ bytes: [UInt8]) -> Bool {
        forEachRecord(bytes) { _, _ in }
    }

    /// True when some record is a handshake record of epoch 0: after our handshake is done, that
    /// can only be the peer retransmitting its last flight (it has not seen our final flight).
    static func hasEpochZeroHandshake(_ bytes: [UInt8]) -> Bool {
        var found = false
        _ = forEachRecord(bytes) { type, epoch in
            if type == 22 && epoch == 0 { found = true }
        }
        return found
    }

    /// True when some record is an alert of epoch 0: plaintext, so anyone on the path (or able to
    /// spoof the peer's address) could have sent it.
    static func hasEpochZeroAlert(_ bytes: [UInt8]) -> Bool {
        var found = false
        _ = forEachRecord(bytes) { type, epoch in
            if type == 21 && epoch == 0 { found = true }
        }
        return found
    }

    /// True when some record carries application data.
    static func hasApplicationData(_ bytes: [UInt8]) -> Bool {
        var found = false
        _ = forEachRecord(bytes) { type, _ in
            if type == 23 { found = true }
        }
        return found
    }

    /// Walks the records; false if the framing is broken anywhere.
    private static func forEachRecord(_ bytes: [UInt8], _ body: (UInt8, UInt16) -> Void) -> Bool {
        guard !bytes.isEmpty else { return false }
        return bytes.withUnsafeBufferPointer { b -> Bool in
            var offset = 0
            while offset < b.count {
                guard b.count - offset >= headerLength else { return false }
                let type = b[offset]
                guard (20...23).contains(type), b[offset + 1] == 0xFE,
                      b[offset + 2] == 0xFD || b[offset + 2] == 0xFF else { return false }
                let epoch = UInt16(b[offset + 3]) << 8 | UInt16(b[offset + 4])
                let length = Int(b[offset + 11]) << 8 | Int(b[offset + 12])
                guard epoch == 0 || length >= minimumProtectedLength else { return false }
                offset += headerLength + length
                guard offset <= b.count else { return false }
                body(type, epoch)
            }
            return true
        }
    }
}
