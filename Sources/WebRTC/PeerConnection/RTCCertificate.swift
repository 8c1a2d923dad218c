import WebRTCDTLS

/// A DTLS identity: a self-signed certificate and its private key (webrtc-pc §4.9).
///
/// Export it with ``pem()`` and import it with ``init(pem:)`` so a server keeps one identity —
/// and one fingerprint — across restarts.
public final class RTCCertificate: Sendable, Hashable {
    /// The key algorithm of a generated certificate.
    public enum KeyType: Sendable {
        /// ECDSA on P-256 (the default: small and fast).
        case ecdsaP256
        /// RSA with a 2048-bit modulus.
        case rsa2048
    }

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

    /// Generates a certificate (`RTCPeerConnection.generateCertificate`).
    public static func generate(_ keyType: KeyType = .ecdsaP256, expires: Duration = .seconds(30 * 86_400)) throws -> RTCCertificate {
        do {
            return RTCCertificate(try DTLSCertificate.generate(keyType == .ecdsaP256 ? .ecdsaP256 : .rsa2048, expires: expires))
        } catch {
            throw RTCError(.operationError, "Certificate generation failed: \(error)")
        }
    }

    /// Imports a certificate and key from PEM text (as written by ``pem()``).
    public convenience init(pem: String) throws {
        do { self.init(try DTLSCertificate(pem: pem)) } catch {
            throw RTCError(.syntaxError, "The PEM text holds no usable certificate and key: \(error)")
        }
    }

    /// The certificate and private key as PEM text. Keep it secret: it holds the private key.
    public func pem() -> String { dtls.pem() }

    /// When the certificate expires, in seconds since 1970.
    public var expires: Double { dtls.expires }

    /// The sha-256 fingerprint, plus the sha-384 and sha-512 ones when `all` is true.
    public func getFingerprints(all: Bool = false) -> [Fingerprint] {
        let algorithms = all ? ["sha-256", "sha-384", "sha-512"] : ["sha-256"]
        return algorithms.compactMap { a in dtls.fingerprint(algorithm: a).map { Fingerprint(algorithm: a, value: $0) } }
    }

    public static func == (a: RTCCertificate, b: RTCCertificate) -> Bool { a.sha256Fingerprint == b.sha256Fingerprint }
    public func hash(into h: inout Hasher) { h.combine(sha256Fingerprint) }
}
