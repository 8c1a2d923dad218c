import CWebRTCOpenSSL
import CWebRTCShims
import Glibc

/// A self-signed X.509 v3 certificate and its private key, as used for a DTLS-SRTP endpoint
/// (RFC 8827 §6.5: self-signed, identified by its fingerprint in SDP).
///
/// Immutable after creation; the OpenSSL handles are only read (OpenSSL's X509/EVP_PKEY are
/// reference-counted and safe to share read-only), hence `@unchecked Sendable`.
package final class DTLSCertificate: @unchecked Sendable {
    /// The key algorithm. ECDSA P-256 is what browsers use (and fast to generate); RSA-2048 for
    /// peers that need it.
    package enum KeyType: Sendable, Equatable {
        case ecdsaP256, rsa2048
        /// RSASSA-PKCS1-v1_5 with the given modulus length in bits and public exponent.
        case rsa(modulusLength: Int, publicExponent: UInt32)
    }

    let x509: OpaquePointer
    let privateKey: OpaquePointer

    /// The certificate's DER encoding.
    package let derBytes: [UInt8]
    /// notAfter, in seconds since 1970.
    package let expires: Double

    private init(x509: OpaquePointer, privateKey: OpaquePointer) throws {
        self.x509 = x509
        self.privateKey = privateKey
        var der: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_X509(x509, &der)
        guard length > 0, let der else {
            X509_free(x509); EVP_PKEY_free(privateKey)
            throw DTLSError.protocolError("i2d_X509 failed")
        }
        derBytes = Array(UnsafeBufferPointer(start: der, count: Int(length)))
        cwebrtc_OPENSSL_free(der)
        var tm = Glibc.tm()
        if ASN1_TIME_to_tm(X509_get0_notAfter(x509), &tm) == 1 {
            expires = Double(timegm(&tm))
        } else {
            expires = 0
        }
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }

    /// Generates a key pair and a self-signed X.509 v3 certificate (CN "WebRTC", random 64-bit
    /// serial, valid from one day ago — tolerating peers' clock skew — until `expires` from now).
    package static func generate(_ type: KeyType = .ecdsaP256, expires: Duration = .seconds(30 * 86400)) throws -> DTLSCertificate {
        guard let key = generateKey(type) else { throw DTLSError.protocolError("key generation failed: \(opensslErrorString())") }
        guard let x509 = X509_new() else { EVP_PKEY_free(key); throw DTLSError.protocolError("X509_new failed") }
        var ok = X509_set_version(x509, 2) == 1  // 2 means v3 (RFC 5280 §4.1.2.1)
        // Random positive serial (RFC 5280 §4.1.2.2: positive, at most 20 octets).
        var serialBytes = [UInt8](repeating: 0, count: 8)
        ok = ok && RAND_bytes(&serialBytes, Int32(serialBytes.count)) == 1
        serialBytes[0] &= 0x7F
        serialBytes[0] |= 0x01
        if ok, let bn = BN_bin2bn(serialBytes, Int32(serialBytes.count), nil) {
            ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509)) != nil
            BN_free(bn)
        } else {
            ok = false
        }
        let seconds = max(Int(expires.components.seconds), 1)
        ok = ok && X509_gmtime_adj(X509_getm_notBefore(x509), -86400) != nil
        ok = ok && X509_gmtime_adj(X509_getm_notAfter(x509), seconds) != nil
        if ok, let name = X509_get_subject_name(x509) {
            ok = X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "WebRTC", -1, -1, 0) == 1
            ok = ok && X509_set_issuer_name(x509, name) == 1
        } else {
            ok = false
        }
        ok = ok && X509_set_pubkey(x509, key) == 1
        ok = ok && X509_sign(x509, key, EVP_sha256()) > 0
        guard ok else {
            X509_free(x509); EVP_PKEY_free(key)
            throw DTLSError.protocolError("certificate creation failed: \(opensslErrorString())")
        }
        return try DTLSCertificate(x509: x509, privateKey: key)
    }

    private static func generateKey(_ type: KeyType) -> OpaquePointer? {
        let ctx: OpaquePointer?
        switch type {
        case .ecdsaP256: ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil)
        case .rsa2048, .rsa: ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil)
        }
        guard let ctx else { return nil }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { return nil }
        switch type {
        case .ecdsaP256:
            guard EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) == 1 else { return nil }
        case .rsa2048:
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) == 1 else { return nil }
        case .rsa(let bits, let exponent):
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(bits)) == 1, let e = BN_new() else { return nil }
            defer { BN_free(e) }
            guard BN_set_word(e, UInt(exponent)) == 1, EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) == 1 else { return nil }
        }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen(ctx, &key) == 1 else { return nil }
        return key
    }

    /// Reads a certificate and its private key from PEM text (both blocks, in any order).
    package convenience init(pem: String) throws {
        var text = Array(pem.utf8)
        let (cert, key): (OpaquePointer?, OpaquePointer?) = text.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return (nil, nil) }
            let certBIO = BIO_new_mem_buf(base, Int32(raw.count))
            let keyBIO = BIO_new_mem_buf(base, Int32(raw.count))
            defer { BIO_free(certBIO); BIO_free(keyBIO) }
            return (PEM_read_bio_X509(certBIO, nil, nil, nil), PEM_read_bio_PrivateKey(keyBIO, nil, nil, nil))
        }
        guard let cert, let key else {
            X509_free(cert); EVP_PKEY_free(key)
            throw DTLSError.protocolError("PEM must hold a certificate and a private key")
        }
        guard X509_check_private_key(cert, key) == 1 else {
            X509_free(cert); EVP_PKEY_free(key)
            throw DTLSError.protocolError("private key does not match certificate")
        }
        try self.init(x509: cert, privateKey: key)
    }

    /// The certificate followed by the (unencrypted, PKCS#8) private key, as PEM.
    package func pem() -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard PEM_write_bio_X509(bio, x509) == 1,
              PEM_write_bio_PrivateKey(bio, privateKey, nil, nil, 0, nil, nil) == 1 else { return "" }
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = cwebrtc_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return UnsafeRawBufferPointer(start: data, count: length).withMemoryRebound(to: UInt8.self) {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// The certificate's fingerprint for `algorithm` ("sha-1", "sha-224", "sha-256", "sha-384",
    /// "sha-512"; RFC 8122 §5) as uppercase colon-separated hex, or nil for an unknown algorithm.
    package func fingerprint(algorithm: String = "sha-256") -> String? {
        guard let digest = DTLSFingerprint.digest(of: x509, algorithm: algorithm) else { return nil }
        return DTLSFingerprint.hex(digest)
    }

    /// The X.509 version field (0 = v1, 2 = v3).
    package var x509Version: Int { Int(X509_get_version(x509)) }
}

/// The oldest queued OpenSSL error as text (and the queue emptied).
func opensslErrorString() -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0 else { return "unknown error" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
