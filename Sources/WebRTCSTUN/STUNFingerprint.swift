/// RFC 8489 §14.7: FINGERPRINT is the CRC-32 of the message XOR 0x5354554e ("STUN").
package enum STUNFingerprint {
    package static let xorValue: UInt32 = 0x5354_554E
}

/// CRC-32 (ISO-HDLC / IEEE 802.3, reflected polynomial 0xEDB88320), as FINGERPRINT requires.
package enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of `bytes`.
    package static func checksum<C: Sequence>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
