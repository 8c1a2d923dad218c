import CWebRTCOpenSSL
import CWebRTCShims
import WebRTCCore

/// A sans-IO TLS client (TLS 1.2 or 1.3) over OpenSSL memory BIOs, for TURN over TLS
/// (RFC 8656 §3.1, `turns:` in RFC 7065). Ciphertext read from the TCP connection goes into
/// `receive`, which returns the plaintext; plaintext to send goes through `send`, which returns
/// the ciphertext. Handshake records produced along the way are collected by `takeOutput()`.
/// No socket, clock or thread is touched (OpenSSL checks certificate validity against the
/// system time, as every TLS client does).
final class TLSStream {
    /// Where the session is.
    enum State: Equatable {
        case new, handshaking, established
        /// The handshake or a record failed; the text says why (certificate errors included).
        case failed(String)
        /// The server sent close_notify, or `close()` was called.
        case closed
    }

    private(set) var state: State = .new
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    /// Network → OpenSSL.
    private let inbound: OpaquePointer
    /// OpenSSL → network.
    private let outbound: OpaquePointer
    private var output: [UInt8] = []

    /// Prepares a client for `serverName` (the URL's host: a DNS name is sent as SNI and must be
    /// in the certificate; an IP literal is not sent as SNI, RFC 6066 §3, and must be an IP SAN).
    /// Returns nil when OpenSSL cannot be set up (e.g. the PEM holds no certificate).
    init?(serverName: String, verification: ICETLSVerification) {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { return nil }
        var ok = cwebrtc_SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1
        switch verification {
        case .systemRoots:
            ok = ok && SSL_CTX_set_default_verify_paths(ctx) == 1
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        case .trustedCertificatesPEM(let pem):
            ok = ok && Self.addTrusted(pem: pem, to: ctx) > 0
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        case .disabled:
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }
        guard ok, let ssl = SSL_new(ctx) else {
            SSL_CTX_free(ctx)
            ERR_clear_error()
            return nil
        }
        guard let rbio = BIO_new(BIO_s_mem()), let wbio = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl); SSL_CTX_free(ctx)
            return nil
        }
        // A fresh memory BIO reports "retry" when empty, which is what a non-blocking read needs.
        SSL_set_bio(ssl, rbio, wbio)
        let isIPLiteral = IPAddress(serverName) != nil
        if verification != .disabled {
            if isIPLiteral {
                ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1
            } else {
                ok = SSL_set1_host(ssl, serverName) == 1
            }
        }
        if ok, !isIPLiteral, !serverName.isEmpty { ok = cwebrtc_SSL_set_tlsext_host_name(ssl, serverName) == 1 }
        guard ok else {
            SSL_free(ssl); SSL_CTX_free(ctx)
            ERR_clear_error()
            return nil
        }
        SSL_set_connect_state(ssl)
        self.context = ctx
        self.ssl = ssl
        self.inbound = rbio
        self.outbound = wbio
    }

    deinit {
        SSL_free(ssl)  // frees both BIOs
        SSL_CTX_free(context)
    }

    /// Adds every certificate in `pem` to the context's trust store; returns how many.
    private static func addTrusted(pem: String, to ctx: OpaquePointer) -> Int {
        guard let store = SSL_CTX_get_cert_store(ctx) else { return 0 }
        var text = Array(pem.utf8)
        var added = 0
        text.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress, let bio = BIO_new_mem_buf(base, Int32(raw.count)) else { return }
            defer { BIO_free(bio) }
            while let cert = PEM_read_bio_X509(bio, nil, nil, nil) {
                if X509_STORE_add_cert(store, cert) == 1 { added += 1 }
                X509_free(cert)
            }
        }
        ERR_clear_error()  // the loop ends on "no start line"
        return added
    }

    /// Starts the handshake; the ClientHello is then in `takeOutput()`.
    func start() {
        guard state == .new else { return }
        state = .handshaking
        advanceHandshake()
    }

    /// Feeds ciphertext from the connection (any chunking) and returns the plaintext it completes.
    func receive(_ ciphertext: [UInt8]) -> [UInt8] {
        guard state == .handshaking || state == .established, !ciphertext.isEmpty else { return [] }
        let written = ciphertext.withUnsafeBytes { BIO_write(inbound, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(ciphertext.count) else { state = .failed("BIO_write failed"); return [] }
        if state == .handshaking { advanceHandshake() }
        guard state == .established else { return [] }
        var plain: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            ERR_clear_error()
            let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n > 0 {
                plain.append(contentsOf: buffer[0..<Int(n)])
                continue
            }
            switch SSL_get_error(ssl, n) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                break
            case SSL_ERROR_ZERO_RETURN:
                state = .closed
            default:
                state = .failed("TLS read: \(Self.errorText())")
            }
            break
        }
        collectOutput()
        return plain
    }

    /// Encrypts `plaintext` into records (in `takeOutput()`); false unless established.
    @discardableResult
    func send(_ plaintext: [UInt8]) -> Bool {
        guard state == .established else { return false }
        guard !plaintext.isEmpty else { return true }
        ERR_clear_error()
        // Memory BIOs never block, so without partial-write mode the whole buffer is written.
        let n = plaintext.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard n == Int32(plaintext.count) else {
            state = .failed("TLS write: \(Self.errorText())")
            return false
        }
        collectOutput()
        return true
    }

    /// Sends close_notify (in `takeOutput()`) and stops.
    func close() {
        if state == .established {
            ERR_clear_error()
            _ = SSL_shutdown(ssl)
            collectOutput()
        }
        if case .failed = state { return }
        state = .closed
    }

    /// Ciphertext waiting to be written to the connection, in order.
    func takeOutput() -> [UInt8] {
        defer { output = [] }
        return output
    }

    /// The negotiated protocol, e.g. "TLSv1.3", once established.
    var protocolVersion: String? {
        guard state == .established, let v = SSL_get_version(ssl) else { return nil }
        return String(cString: v)
    }

    private func advanceHandshake() {
        ERR_clear_error()
        let r = SSL_do_handshake(ssl)
        if r == 1 {
            state = .established
        } else {
            let e = SSL_get_error(ssl, r)
            if e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE {
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK, let s = X509_verify_cert_error_string(verify) {
                    state = .failed("TLS certificate: \(String(cString: s))")
                } else {
                    state = .failed("TLS handshake: \(Self.errorText())")
                }
            }
        }
        collectOutput()
    }

    private func collectOutput() {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { BIO_read(outbound, $0.baseAddress, Int32($0.count)) }
            guard n > 0 else { break }
            output.append(contentsOf: buffer[0..<Int(n)])
        }
    }

    private static func errorText() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "connection error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
