#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, stored inline (no allocation), in network order semantics.
package enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// IPv4, the 32-bit value as read big-endian from the wire (127.0.0.1 == 0x7F000001).
    case v4(UInt32)
    /// IPv6, the 128-bit value as two big-endian halves.
    case v6(UInt64, UInt64)

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (no zone id, no brackets).
    package init?(_ text: some StringProtocol) {
        var s = String(text)
        if s.hasPrefix("["), s.hasSuffix("]") { s = String(s.dropFirst().dropLast()) }
        if let pct = s.firstIndex(of: "%") { s = String(s[..<pct]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 {
            self = .v4(UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, s, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            self.init(bytes: bytes[...])
            return
        }
        return nil
    }

    /// Builds an address from 4 or 16 raw bytes.
    package init?(bytes: ArraySlice<UInt8>) {
        if bytes.count == 4 {
            var v: UInt32 = 0
            for b in bytes { v = v << 8 | UInt32(b) }
            self = .v4(v)
        } else if bytes.count == 16 {
            var hi: UInt64 = 0, lo: UInt64 = 0
            for (i, b) in bytes.enumerated() {
                if i < 8 { hi = hi << 8 | UInt64(b) } else { lo = lo << 8 | UInt64(b) }
            }
            self = .v6(hi, lo)
        } else {
            return nil
        }
    }

    /// 4 or 16 bytes, network order.
    package var bytes: [UInt8] {
        switch self {
        case .v4(let v):
            return [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        case .v6(let hi, let lo):
            var out = [UInt8]()
            out.reserveCapacity(16)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(hi >> UInt64(shift) & 0xFF)) }
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(lo >> UInt64(shift) & 0xFF)) }
            return out
        }
    }

    package var isIPv4: Bool { if case .v4 = self { return true } else { return false } }

    /// 127.0.0.0/8 or ::1.
    package var isLoopback: Bool {
        switch self {
        case .v4(let v): return v >> 24 == 127
        case .v6(let hi, let lo): return hi == 0 && lo == 1
        }
    }

    /// 169.254.0.0/16 or fe80::/10.
    package var isLinkLocal: Bool {
        switch self {
        case .v4(let v): return v >> 16 == 0xA9FE
        case .v6(let hi, _): return hi >> 54 == 0x3FA
        }
    }

    /// 0.0.0.0 or ::.
    package var isUnspecified: Bool {
        switch self {
        case .v4(let v): return v == 0
        case .v6(let hi, let lo): return hi == 0 && lo == 0
        }
    }

    package var description: String {
        switch self {
        case .v4(let v):
            return "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)"
        case .v6:
            var raw = in6_addr()
            let b = bytes
            withUnsafeMutableBytes(of: &raw) { for i in 0..<16 { $0[i] = b[i] } }
            var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &raw, &buf, socklen_t(buf.count))
            return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// An IP address and a port: where a datagram came from or goes to.
package struct TransportAddress: Hashable, Sendable, CustomStringConvertible {
    package var ip: IPAddress
    package var port: UInt16

    package init(ip: IPAddress, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Parses "1.2.3.4:5" or "[::1]:5".
    package init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]),
              let ip = IPAddress(text[..<colon]) else { return nil }
        self.init(ip: ip, port: port)
    }

    package var description: String {
        ip.isIPv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)"
    }
}
