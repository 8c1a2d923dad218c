import WebRTCDTLS

/// A DTLS identity: a self-signed certificate and its private key (webrtc-pc §4.9).
///
/// Export it with ``pem()`` and import it with ``init(pem:)`` so a server keeps one identity —
/// and one fingerprint — across restarts.
public final class RTCCertificate: Sendable, Hashable {
    /// The key algorithm of a generated certificate (the W3C `keygenAlgorithm`).
    public enum KeyType: Sendable, Hashable {
        /// ECDSA on P-256 (`{name: "ECDSA", namedCurve: "P-256"}`; the default: small and fast).
        case ecdsaP256
        /// RSA with a 2048-bit modulus and exponent 65537.
        case rsa2048
        /// RSASSA-PKCS1-v1_5 (`{name: "RSASSA-PKCS1-v1_5", modulusLength, publicExponent}`):
        /// modulus 2048…4096 bits, exponent 3 or 65537 (others are `NotSupportedError`).
        case rsa(modulusLength: Int, publicExponent: UInt32 = 65_537)
    }

    /// webrtc-pc §4.9: a certificate may not be valid for more than 365 days.
    public static let maximumLifetime: Duration = .seconds(365 * 86_400)

    /// One certificate fingerprint (webrtc-pc §4.9.1 `RTCDtlsFingerprint`).
    public struct Fingerprint: Sendable, Hashable {
        /// The hash function, e.g. `sha-256`.
        public var algorithm: String
        /// Uppercase hex bytes separated by colons.
        public var value: String
    }

    let dtls: DTLSCertificate
    let sha256Fingerprint: String

    init(_ dtls: DTLSCertificate) {
        self.dtls = dtls
        self.sha256Fingerprint = dtls.fingerprint(algorithm: "sha-256") ?? ""
    }

    /// Generates a certificate (`RTCPeerConnection.generateCertificate`) valid for `expires`
    /// (30 days by default, at most ``maximumLifetime``: longer values are capped).
    public static func generate(_ keyType: KeyType = .ecdsaP256, expires: Duration = .seconds(30 * 86_400)) throws -> RTCCertificate {
        let type: DTLSCertificate.KeyType
        switch keyType {
        case .ecdsaP256: type = .ecdsaP256
        case .rsa2048: type = .rsa2048
        case .rsa(let bits, let exponent):
            guard (2048...4096).contains(bits), exponent == 65_537 || exponent == 3 else {
                throw RTCError(.notSupportedError, "RSA with a \(bits)-bit modulus and exponent \(exponent) is not supported.")
            }
            type = .rsa(modulusLength: bits, publicExponent: exponent)
        }
        do {
            return RTCCertificate(try DTLSCertificate.generate(type, expires: min(max(expires, .seconds(1)), maximumLifetime)))
        } catch {
            throw RTCError(.operationError, "Certificate generation failed: \(error)")
        }
    }

    /// Whether the certificate's validity has ended (such certificates are refused by
    /// ``RTCPeerConnection/init(configuration:)`` and `setConfiguration`: `InvalidAccessError`).
    public var isExpired: Bool { expires <= RTCStatsReport.timestampNow() }

    /// Imports a certificate and key from PEM text (as written by ``pem()``).
    public convenience init(pem: String) throws {
        do { self.init(try DTLSCertificate(pem: pem)) } catch {
            throw RTCError(.syntaxError, "The PEM text holds no usable certificate and key: \(error)")
        }
    }

    /// The certificate and private key as PEM text. Keep it secret: it holds the private key.
    public func pem() -> String { dtls.pem() }

    /// When the certificate expires, in milliseconds since 1970 (a W3C `EpochTimeStamp`).
    public var expires: Double { dtls.expires * 1000 }

    /// The sha-256 fingerprint, plus the sha-384 and sha-512 ones when `all` is true.
    public func getFingerprints(all: Bool = false) -> [Fingerprint] {
        let algorithms = all ? ["sha-256", "sha-384", "sha-512"] : ["sha-256"]
        return algorithms.compactMap { a in dtls.fingerprint(algorithm: a).map { Fingerprint(algorithm: a, value: $0) } }
    }

    public static func == (a: RTCCertificate, b: RTCCertificate) -> Bool { a.sha256Fingerprint == b.sha256Fingerprint }
    public func hash(into h: inout Hasher) { h.combine(sha256Fingerprint) }
}
