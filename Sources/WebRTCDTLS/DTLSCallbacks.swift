import CWebRTCOpenSSL
import CWebRTCShims

// The C callbacks OpenSSL makes into a `DTLSEngine`. Each finds its engine through an unretained
// pointer stored in the BIO's data, the SSL's ex-data slot 0, or the callback argument; the
// engine owns the SSL and BIO, so it outlives every callback.

/// Recovers the engine from a pointer we stored.
@inline(__always)
func engine(_ pointer: UnsafeMutableRawPointer?) -> DTLSEngine? {
    guard let pointer else { return nil }
    return Unmanaged<DTLSEngine>.fromOpaque(pointer).takeUnretainedValue()
}

/// One BIO for both directions with datagram semantics: every write is one datagram (so record
/// boundaries and the MTU OpenSSL fragments for are kept — a memory BIO would glue a flight into
/// one blob), and a read hands OpenSSL the whole current input datagram at once, without copying
/// it into an intermediate buffer first.
nonisolated(unsafe) let datagramBIOMethod: OpaquePointer? = {
    guard let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "webrtc-datagram") else { return nil }
    _ = BIO_meth_set_write(method) { bio, data, length in
        guard let bio, let data, length >= 0, let e = engine(BIO_get_data(bio)) else { return -1 }
        e.emitDatagram(UnsafeRawBufferPointer(start: data, count: Int(length)))
        return length
    }
    _ = BIO_meth_set_read(method) { bio, buffer, capacity in
        guard let bio, let buffer, capacity > 0, let e = engine(BIO_get_data(bio)) else { return -1 }
        cwebrtc_BIO_clear_retry_flags(bio)
        let n = e.takeInput(into: UnsafeMutableRawPointer(buffer), capacity: Int(capacity))
        if n == 0 {
            cwebrtc_BIO_set_retry_read(bio)
            return -1
        }
        return Int32(n)
    }
    _ = BIO_meth_set_ctrl(method) { bio, command, _, _ in
        switch command {
        case BIO_CTRL_FLUSH: return 1
        case BIO_CTRL_PENDING:
            guard let bio, let e = engine(BIO_get_data(bio)) else { return 0 }
            return e.pendingInputCount
        default:
            // WPENDING (nothing is ever pending on our side), DGRAM_SET_NEXT_TIMEOUT (we own the
            // timer), DGRAM_QUERY_MTU (disabled by SSL_OP_NO_QUERY_MTU), MTU_EXCEEDED: all 0.
            return 0
        }
    }
    _ = BIO_meth_set_create(method) { bio in
        BIO_set_init(bio, 1)
        return 1
    }
    return method
}()

/// SSL_CTX cert-verify callback: replaces chain building with the fingerprint check
/// (RFC 8122 §5, RFC 8827 §6.5). Runs inside the handshake; returning 0 aborts it with a
/// bad_certificate alert before any key is derived or any application data accepted.
let certificateVerifyCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { storeContext, argument in
    guard let storeContext, let e = engine(argument) else { return 0 }
    let accepted = e.verifyPeer(X509_STORE_CTX_get0_cert(storeContext))
    if !accepted { X509_STORE_CTX_set_error(storeContext, X509_V_ERR_CERT_REJECTED) }
    return accepted ? 1 : 0
}

/// SSL info callback: reports alerts (where has SSL_CB_ALERT; value = level << 8 | description).
let infoCallback: @convention(c) (OpaquePointer?, Int32, Int32) -> Void = { ssl, whereFlags, value in
    guard whereFlags & SSL_CB_ALERT != 0, let ssl, let e = engine(SSL_get_ex_data(ssl, 0)) else { return }
    let description = UInt8(truncatingIfNeeded: value & 0xFF)
    let fatal = (value >> 8) & 0xFF == 2
    e.noteAlert(description: description, fatal: fatal, received: whereFlags & SSL_CB_READ != 0)
}

/// DTLS timer callback: OpenSSL asks for its next timer value in µs, with 0 on a fresh start (a
/// new flight) and the previous value when its own timer expired and it is about to retransmit.
let timerCallback: @convention(c) (OpaquePointer?, UInt32) -> UInt32 = { ssl, previous in
    guard let ssl, let e = engine(SSL_get_ex_data(ssl, 0)) else { return 1_000_000 }
    return e.openSSLTimerValue(previous: previous)
}
