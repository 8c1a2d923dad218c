import WebRTCCore

/// MAPPED-ADDRESS and the XOR-…-ADDRESS family (RFC 8489 §14.1–§14.2): family 0x01 IPv4 /
/// 0x02 IPv6; the XOR forms mask the port with the cookie's top 16 bits and the address with the
/// cookie (IPv4) or cookie ‖ transaction id (IPv6).
package enum STUNAddressCodec {
    /// The plain value bytes for `address`.
    package static func encode(_ address: TransportAddress) -> [UInt8] {
        var w = ByteWriter(capacity: 20)
        w.u8(0)
        w.u8(address.ip.isIPv4 ? 0x01 : 0x02)
        w.u16(address.port)
        w.append(address.ip.bytes)
        return w.bytes
    }

    /// Decodes a plain address value, or nil when malformed.
    package static func decode(_ value: [UInt8]) -> TransportAddress? {
        var r = ByteReader(value)
        guard let _ = r.u8(), let family = r.u8(), let port = r.u16() else { return nil }
        let n = family == 0x01 ? 4 : family == 0x02 ? 16 : -1
        guard n > 0, r.remaining == n, let raw = r.take(n), let ip = IPAddress(bytes: raw) else { return nil }
        return TransportAddress(ip: ip, port: port)
    }

    private static func mask(_ count: Int, transactionID: [UInt8]) -> [UInt8] {
        let cookie: [UInt8] = [0x21, 0x12, 0xA4, 0x42]
        return Array((cookie + transactionID).prefix(count))
    }

    /// The XOR'd value bytes for `address`.
    package static func encodeXOR(_ address: TransportAddress, transactionID: [UInt8]) -> [UInt8] {
        var v = encode(address)
        v[2] ^= 0x21
        v[3] ^= 0x12
        let m = mask(v.count - 4, transactionID: transactionID)
        for i in 0..<m.count { v[4 + i] ^= m[i] }
        return v
    }

    /// Decodes an XOR'd address value, or nil when malformed.
    package static func decodeXOR(_ value: [UInt8], transactionID: [UInt8]) -> TransportAddress? {
        guard value.count >= 8, transactionID.count == 12 else { return nil }
        var v = value
        v[2] ^= 0x21
        v[3] ^= 0x12
        let m = mask(v.count - 4, transactionID: transactionID)
        guard m.count == v.count - 4 else { return nil }
        for i in 0..<m.count { v[4 + i] ^= m[i] }
        return decode(v)
    }
}
