/// An `a=fingerprint` value (RFC 8122 §5): hash algorithm plus the certificate digest.
package struct SDPFingerprint: Hashable, Sendable {
    /// Lowercased hash function name, e.g. "sha-256".
    package var algorithm: String
    /// Upper-case hex bytes separated by colons, e.g. "AB:01:…".
    package var value: String
    /// The digest bytes.
    package var bytes: [UInt8]

    /// Digest sizes of the hash functions WebRTC peers use; others are accepted unchecked.
    static let knownLengths: [String: Int] = [
        "sha-1": 20, "sha-224": 28, "sha-256": 32, "sha-384": 48, "sha-512": 64,
    ]

    /// Creates a fingerprint from raw digest bytes.
    package init(algorithm: String, bytes: [UInt8]) {
        self.algorithm = algorithm.lowercased()
        self.bytes = bytes
        self.value = SDPFingerprint.hex(bytes)
    }

    /// Parses "<hash-func> <hex:hex:…>"; hex is case-insensitive (RFC 8122 §5).
    package init?(_ text: String) {
        guard let fp = try? SDPFingerprint.parse(Substring(text)) else { return nil }
        self = fp
    }

    static func parse(_ text: Substring) throws(SDPValueError) -> SDPFingerprint {
        let w = SDPTokens.words(text)
        guard w.count == 2 else { throw SDPValueError("fingerprint must be <hash-func> <hex:hex:...>") }
        guard SDPTokens.isToken(w[0]) else { throw SDPValueError("bad fingerprint hash function '\(w[0])'") }
        let algorithm = w[0].lowercased()
        var out: [UInt8] = []
        let hex = Array(w[1].utf8)
        // Pairs of hex digits separated by single colons.
        guard hex.count % 3 == 2 else { throw SDPValueError("fingerprint '\(w[1])' is not colon-separated hex pairs") }
        var i = 0
        while i < hex.count {
            guard let hi = hexValue(hex[i]), let lo = hexValue(hex[i + 1]) else {
                throw SDPValueError("fingerprint '\(w[1])' has a non-hex digit")
            }
            out.append(hi << 4 | lo)
            if i + 2 < hex.count, hex[i + 2] != 0x3A {
                throw SDPValueError("fingerprint '\(w[1])' is not colon-separated hex pairs")
            }
            i += 3
        }
        if let expected = knownLengths[algorithm], expected != out.count {
            throw SDPValueError("\(algorithm) fingerprint has \(out.count) bytes, expected \(expected)")
        }
        return SDPFingerprint(algorithm: algorithm, bytes: out)
    }

    /// "<algorithm> <value>" as written after "a=fingerprint:".
    var text: String { "\(algorithm) \(value)" }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out.append(0x3A) }
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
