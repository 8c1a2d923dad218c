import CWebRTCOpenSSL

/// A remote certificate fingerprint from `a=fingerprint` (RFC 8122 §5): a hash function name and
/// the digest as colon-separated hex, in any case.
package struct DTLSFingerprint: Hashable, Sendable {
    /// Hash function name as in SDP, e.g. "sha-256" (compared case-insensitively).
    package var algorithm: String
    /// The digest, hex pairs separated by colons, upper or lower case.
    package var value: String

    /// A fingerprint.
    package init(algorithm: String, value: String) {
        self.algorithm = algorithm
        self.value = value
    }

    /// The digest bytes, or nil if `value` is not colon-separated hex pairs.
    package var digestBytes: [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for part in value.split(separator: ":", omittingEmptySubsequences: false) {
            guard part.utf8.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            out.append(byte)
        }
        return out.isEmpty ? nil : out
    }

    /// The OpenSSL digest for an SDP hash function name (RFC 8122 §5 / RFC 4572 names).
    static func messageDigest(_ algorithm: String) -> OpaquePointer? {
        switch String(algorithm.lowercased().filter { $0 != "-" }) {
        case "sha1": return EVP_sha1()
        case "sha224": return EVP_sha224()
        case "sha256": return EVP_sha256()
        case "sha384": return EVP_sha384()
        case "sha512": return EVP_sha512()
        default: return nil
        }
    }

    /// Rank of a hash function name, stronger is higher (RFC 8122 §5 leaves the choice to the
    /// endpoint; we only trust the strongest offered): sha-512 > sha-384 > sha-256 > sha-224 >
    /// sha-1 > md5. nil for an unknown name.
    static func strength(_ algorithm: String) -> Int? {
        switch String(algorithm.lowercased().filter { $0 != "-" }) {
        case "sha512": return 5
        case "sha384": return 4
        case "sha256": return 3
        case "sha224": return 2
        case "sha1": return 1
        case "md5": return 0
        default: return nil
        }
    }

    /// The usable fingerprints of the strongest hash function among `fingerprints` (RFC 8122 §5:
    /// a weaker fingerprint next to a stronger one must not be an alternative way in, or an
    /// attacker who can forge the weak hash would bypass the strong one).
    static func strongest(_ fingerprints: [DTLSFingerprint]) -> [(algorithm: String, digest: [UInt8])] {
        let usable = fingerprints.compactMap { fp -> (algorithm: String, digest: [UInt8], rank: Int)? in
            guard messageDigest(fp.algorithm) != nil, let rank = strength(fp.algorithm), let digest = fp.digestBytes else { return nil }
            return (fp.algorithm, digest, rank)
        }
        guard let best = usable.map(\.rank).max() else { return [] }
        return usable.filter { $0.rank == best }.map { ($0.algorithm, $0.digest) }
    }

    /// The digest of a certificate's DER encoding with `algorithm`.
    static func digest(of x509: OpaquePointer, algorithm: String) -> [UInt8]? {
        guard let md = messageDigest(algorithm) else { return nil }
        var buffer = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(x509, md, &buffer, &length) == 1 else { return nil }
        return Array(buffer.prefix(Int(length)))
    }

    /// Uppercase colon-separated hex.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ":")) }
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
