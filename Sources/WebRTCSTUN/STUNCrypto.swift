import CWebRTCOpenSSL

/// The hashes STUN needs, from OpenSSL (never hand-written): HMAC-SHA1 and HMAC-SHA256 for
/// MESSAGE-INTEGRITY(-SHA256), MD5 for the long-term key (RFC 8489 §9.2.2).
package enum STUNCrypto {
    /// HMAC-SHA1 of `data` under `key` (20 bytes).
    package static func hmacSHA1(key: [UInt8], data: [UInt8]) -> [UInt8] { hmac(EVP_sha1(), key: key, data: data, size: 20) }

    /// HMAC-SHA256 of `data` under `key` (32 bytes).
    package static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] { hmac(EVP_sha256(), key: key, data: data, size: 32) }

    private static func hmac(_ md: OpaquePointer?, key: [UInt8], data: [UInt8], size: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        var outLen: UInt32 = 0
        let k = key.isEmpty ? [0] : key  // a non-null pointer; zero length is passed below
        k.withUnsafeBufferPointer { kp in
            data.withUnsafeBufferPointer { dp in
                out.withUnsafeMutableBufferPointer { op in
                    _ = HMAC(md, kp.baseAddress, Int32(key.count), dp.baseAddress, dp.count, op.baseAddress, &outLen)
                }
            }
        }
        return Array(out.prefix(size))
    }

    /// MD5 digest (16 bytes).
    package static func md5(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        var outLen: UInt32 = 0
        data.withUnsafeBufferPointer { dp in
            out.withUnsafeMutableBufferPointer { op in
                _ = EVP_Digest(dp.baseAddress, dp.count, op.baseAddress, &outLen, EVP_md5(), nil)
            }
        }
        return out
    }

    /// The long-term credential key MD5(username ":" realm ":" password) (RFC 8489 §9.2.2). The
    /// password should already be SASLprep/OpaqueString-processed; ASCII passwords need nothing.
    package static func longTermKey(username: String, realm: String, password: String) -> [UInt8] {
        md5(Array("\(username):\(realm):\(password)".utf8))
    }

    /// The short-term credential key: the password itself (RFC 8489 §9.1.1).
    package static func shortTermKey(password: String) -> [UInt8] { Array(password.utf8) }

    /// Compares without an early exit, so timing does not reveal where a MAC differs.
    package static func constantTimeEqual<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }
}
