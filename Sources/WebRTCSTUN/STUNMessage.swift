import WebRTCCore

/// A STUN message (RFC 8489 §5): method, class, 96-bit transaction id and attributes.
///
/// `attributes` never holds MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 or FINGERPRINT: those are
/// added by `encode(...)` and, on a decoded message, located in `received` so that they can be
/// verified over the exact bytes that arrived (RFC 8489 §14.5).
package struct STUNMessage: Sendable, Hashable {
    /// RFC 8489 §6: the fixed magic cookie.
    package static let magicCookie: UInt32 = 0x2112_A442
    package static let headerLength = 20

    package var method: STUNMethod
    package var cls: STUNClass
    /// Exactly 12 bytes.
    package var transactionID: [UInt8]
    package var attributes: [STUNAttribute]
    /// Present on a decoded message: the received bytes and where the integrity attributes sit.
    package private(set) var received: ReceivedSecurity?

    /// Where the integrity and fingerprint attributes of a decoded message were found.
    package struct ReceivedSecurity: Sendable, Hashable {
        /// The whole message as received (header + `length` bytes).
        package var bytes: [UInt8]
        /// Offset of the MESSAGE-INTEGRITY attribute header, if present.
        package var integrityOffset: Int?
        /// Offset and value length of MESSAGE-INTEGRITY-SHA256, if present.
        package var integritySHA256: (offset: Int, length: Int)?
        /// Offset of the FINGERPRINT attribute header, if present.
        package var fingerprintOffset: Int?

        package static func == (a: Self, b: Self) -> Bool {
            a.bytes == b.bytes && a.integrityOffset == b.integrityOffset && a.fingerprintOffset == b.fingerprintOffset
                && a.integritySHA256?.offset == b.integritySHA256?.offset
        }
        package func hash(into h: inout Hasher) { h.combine(bytes) }
    }

    package init(method: STUNMethod, cls: STUNClass, transactionID: [UInt8], attributes: [STUNAttribute] = []) {
        self.method = method
        self.cls = cls
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// A new message with a random transaction id.
    package init(method: STUNMethod, cls: STUNClass, random: RandomSource, attributes: [STUNAttribute] = []) {
        self.init(method: method, cls: cls, transactionID: random.bytes(12), attributes: attributes)
    }

    /// True when a datagram looks like STUN: first two bits zero, magic cookie in place, length a
    /// multiple of 4 matching the datagram (RFC 8489 §6.3, RFC 7983).
    package static func isSTUN<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8, C.Index == Int {
        guard bytes.count >= headerLength else { return false }
        let s = bytes.startIndex
        guard bytes[s] & 0xC0 == 0 else { return false }
        let length = Int(bytes[s + 2]) << 8 | Int(bytes[s + 3])
        let cookie = UInt32(bytes[s + 4]) << 24 | UInt32(bytes[s + 5]) << 16 | UInt32(bytes[s + 6]) << 8 | UInt32(bytes[s + 7])
        return cookie == magicCookie && length % 4 == 0 && headerLength + length == bytes.count
    }

    /// The attribute of `type` (the first one when repeated).
    package func attribute(_ type: STUNAttributeType) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }

    /// Whether a MESSAGE-INTEGRITY attribute was present in the received bytes.
    package var hasIntegrity: Bool { received?.integrityOffset != nil }
    /// Whether a FINGERPRINT attribute was present in the received bytes.
    package var hasFingerprint: Bool { received?.fingerprintOffset != nil }

    /// Comprehension-required attribute types this codec does not know (RFC 8489 §6.3.1: a request
    /// carrying any gets a 420 error listing them).
    package var unknownComprehensionRequired: [UInt16] {
        attributes.filter { $0.type.isComprehensionRequired && !STUNAttributeType.known.contains($0.type) }.map(\.type.rawValue)
    }
}

extension STUNAttributeType {
    /// Every type this codec understands.
    package static let known: Set<STUNAttributeType> = [
        .mappedAddress, .username, .messageIntegrity, .errorCode, .unknownAttributes, .channelNumber, .lifetime,
        .xorPeerAddress, .data, .realm, .nonce, .xorRelayedAddress, .requestedAddressFamily, .requestedTransport,
        .dontFragment, .messageIntegritySHA256, .xorMappedAddress, .priority, .useCandidate, .software,
        .fingerprint, .iceControlled, .iceControlling,
    ]
}

// MARK: - Decoding

extension STUNMessage {
    /// Decodes one STUN message that fills `bytes` exactly, or returns nil for anything malformed.
    /// Never traps. Attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and
    /// FINGERPRINT are ignored (RFC 8489 §14.5); anything after FINGERPRINT makes the message invalid.
    package static func decode(_ bytes: [UInt8]) -> STUNMessage? {
        guard isSTUN(bytes) else { return nil }
        var r = ByteReader(bytes)
        guard let type = r.u16(), let _ = r.u16(), let _ = r.u32(), let tid = r.take(12),
              let (method, cls) = STUNMessageType.decode(type) else { return nil }
        var msg = STUNMessage(method: method, cls: cls, transactionID: Array(tid))
        var security = ReceivedSecurity(bytes: bytes)
        while !r.isAtEnd {
            let offset = r.offset
            guard let t = r.u16(), let len = r.u16(), let value = r.take(Int(len)) else { return nil }
            let padLength = (4 - Int(len) % 4) % 4
            guard let pad = r.take(padLength) else { return nil }
            let type = STUNAttributeType(t)
            if security.fingerprintOffset != nil { return nil }  // RFC 8489 §14.7: FINGERPRINT is last
            switch type {
            case .messageIntegrity:
                guard len == 20, security.integrityOffset == nil, security.integritySHA256 == nil else { return nil }
                security.integrityOffset = offset
            case .messageIntegritySHA256:
                guard len >= 16, len <= 32, len % 4 == 0, security.integritySHA256 == nil else { return nil }
                security.integritySHA256 = (offset, Int(len))
            case .fingerprint:
                guard len == 4 else { return nil }
                security.fingerprintOffset = offset
            default:
                if security.integrityOffset != nil || security.integritySHA256 != nil { continue }
                msg.attributes.append(STUNAttribute(type: type, value: Array(value), padding: pad.allSatisfy { $0 == 0 } ? nil : Array(pad)))
            }
        }
        msg.received = security
        return msg
    }
}

// MARK: - Encoding

extension STUNMessage {
    /// Encodes the message. With `integrityKey`, appends MESSAGE-INTEGRITY (HMAC-SHA1); with
    /// `integritySHA256Key`, MESSAGE-INTEGRITY-SHA256; with `fingerprint`, FINGERPRINT last
    /// (RFC 8489 §14.5–§14.7: each computed with the length field covering itself).
    package func encode(integrityKey: [UInt8]? = nil, integritySHA256Key: [UInt8]? = nil, fingerprint: Bool = false) -> [UInt8] {
        var w = ByteWriter(capacity: 128)
        w.u16(STUNMessageType.encode(method: method, cls: cls))
        w.u16(0)
        w.u32(Self.magicCookie)
        var tid = transactionID
        if tid.count != 12 { tid = Array((tid + [UInt8](repeating: 0, count: 12)).prefix(12)) }
        w.append(tid)
        for a in attributes {
            let value = a.value.count > 0xFFFF ? Array(a.value.prefix(0xFFFF)) : a.value
            w.u16(a.type.rawValue)
            w.u16(UInt16(value.count))
            w.append(value)
            let padLength = (4 - value.count % 4) % 4
            if let p = a.padding, p.count == padLength { w.append(p) } else { w.append(repeatElement(0, count: padLength)) }
        }
        if let key = integrityKey {
            w.patchU16(UInt16(truncatingIfNeeded: w.bytes.count - Self.headerLength + 24), at: 2)
            let mac = STUNCrypto.hmacSHA1(key: key, data: w.bytes)
            w.u16(STUNAttributeType.messageIntegrity.rawValue)
            w.u16(20)
            w.append(mac)
        }
        if let key = integritySHA256Key {
            w.patchU16(UInt16(truncatingIfNeeded: w.bytes.count - Self.headerLength + 36), at: 2)
            let mac = STUNCrypto.hmacSHA256(key: key, data: w.bytes)
            w.u16(STUNAttributeType.messageIntegritySHA256.rawValue)
            w.u16(32)
            w.append(mac)
        }
        if fingerprint {
            w.patchU16(UInt16(truncatingIfNeeded: w.bytes.count - Self.headerLength + 8), at: 2)
            let crc = CRC32.checksum(w.bytes) ^ STUNFingerprint.xorValue
            w.u16(STUNAttributeType.fingerprint.rawValue)
            w.u16(4)
            w.u32(crc)
        }
        w.patchU16(UInt16(truncatingIfNeeded: w.bytes.count - Self.headerLength), at: 2)
        return w.bytes
    }
}

// MARK: - Verification

extension STUNMessage {
    /// Verifies MESSAGE-INTEGRITY (HMAC-SHA1) over the received bytes with the length field
    /// adjusted to end at the attribute (RFC 8489 §14.5). Constant-time comparison. False when the
    /// message was not decoded from bytes or carries no MESSAGE-INTEGRITY.
    package func verifyIntegrity(key: [UInt8]) -> Bool {
        guard let sec = received, let off = sec.integrityOffset, off + 24 <= sec.bytes.count else { return false }
        var prefix = Array(sec.bytes[0..<off])
        let adjusted = off - Self.headerLength + 24
        prefix[2] = UInt8(adjusted >> 8 & 0xFF)
        prefix[3] = UInt8(adjusted & 0xFF)
        let mac = STUNCrypto.hmacSHA1(key: key, data: prefix)
        return STUNCrypto.constantTimeEqual(mac, sec.bytes[(off + 4)..<(off + 24)])
    }

    /// Verifies MESSAGE-INTEGRITY-SHA256 (possibly truncated to 16…32 bytes, RFC 8489 §14.6).
    package func verifyIntegritySHA256(key: [UInt8]) -> Bool {
        guard let sec = received, let (off, len) = sec.integritySHA256, off + 4 + len <= sec.bytes.count else { return false }
        var prefix = Array(sec.bytes[0..<off])
        let adjusted = off - Self.headerLength + 4 + len
        prefix[2] = UInt8(adjusted >> 8 & 0xFF)
        prefix[3] = UInt8(adjusted & 0xFF)
        let mac = STUNCrypto.hmacSHA256(key: key, data: prefix)
        return STUNCrypto.constantTimeEqual(Array(mac.prefix(len)), sec.bytes[(off + 4)..<(off + 4 + len)])
    }

    /// Verifies FINGERPRINT (RFC 8489 §14.7). False when absent.
    package func verifyFingerprint() -> Bool {
        guard let sec = received, let off = sec.fingerprintOffset, off + 8 <= sec.bytes.count else { return false }
        var prefix = Array(sec.bytes[0..<off])
        let adjusted = off - Self.headerLength + 8
        prefix[2] = UInt8(adjusted >> 8 & 0xFF)
        prefix[3] = UInt8(adjusted & 0xFF)
        var r = ByteReader(sec.bytes[(off + 4)..<(off + 8)])
        guard let got = r.u32() else { return false }
        return CRC32.checksum(prefix) ^ STUNFingerprint.xorValue == got
    }
}
