import CWebRTCOpenSSL
import CWebRTCShims
import WebRTCCore

/// A sans-IO DTLS 1.2 endpoint over OpenSSL for WebRTC (RFC 8827, RFC 5763/5764).
///
/// Datagrams and time go in (`handleDatagram`, `handleTimeout`, `start`, `send`, `close`);
/// datagrams, events and the next deadline come out (`pollTransmit`, `pollEvent`, `nextDeadline`).
/// It reads no clock and owns no socket.
///
/// ## Security
/// The peer certificate is required both ways and checked inside the handshake against the remote
/// `a=fingerprint`s (constant-time compare). A mismatch aborts the handshake with a
/// bad_certificate alert, and `.connected`, application data and SRTP keying material are only ever
/// released after that check passed (the CVE-2021-28681 class of bug is to release them anyway).
///
/// ## Retransmission and OpenSSL's clock
/// OpenSSL 3.0 keeps its own handshake timer on the wall clock (`gettimeofday`): it arms it when it
/// sends a flight (`now + duration`), and `DTLSv1_handle_timeout` retransmits only if *its* clock
/// says the timer expired (anything under 15 ms left counts as expired). It also runs that check on
/// every read (`dtls1_read_bytes`), and re-checks in a loop after a retransmission. So a virtual
/// `now` cannot make OpenSSL retransmit, and a tiny timer value would make every incoming datagram
/// trigger retransmissions until OpenSSL gives up (after 12). What we do instead:
///
/// 1. We own the schedule (`DTLSRetransmitSchedule`, RFC 6347 §4.2.4.1) in virtual time: when a
///    call makes OpenSSL write a new flight, we record that flight's datagrams and set our deadline
///    to `now + initial`; each retransmission doubles the interval; `nextDeadline()` reports it.
/// 2. `DTLS_set_timer_cb` makes OpenSSL ask us for its timer value. In `.native` mode we answer
///    with the same interval our schedule uses, so in production (where `now` follows real time)
///    OpenSSL's timer has expired by the time our deadline fires; there `handleTimeout` calls
///    `DTLSv1_handle_timeout`, the callback sees OpenSSL retransmit (it is called with the old value
///    just before), and OpenSSL rebuilds the flight with fresh record sequence numbers. If OpenSSL
///    fires on its own during a read, the same callback records it as our retransmission and
///    reschedules, so the two never drift apart.
/// 3. If at our deadline OpenSSL's clock does not agree (always so under virtual time, and in
///    `.replay` mode, where OpenSSL's timer is parked an hour ahead), we replay the recorded flight
///    ourselves. The peer accepts the records it lost and drops the others as replays
///    (RFC 6347 §4.1.2.6), which is all a retransmission must achieve — except for the last flight:
///    a peer that already finished drops a replayed Finished as a replay and never re-sends its own
///    final flight. So when our handshake finished by *sending* the final flight and an epoch-0
///    handshake record arrives afterwards (the peer is retransmitting because it never got our final
///    flight), we replay that final flight too, a bounded number of times.
/// 4. The handshake gives up `giveUpAfter` (30 s) after `start` with `.handshakeTimeout`.
package final class DTLSEngine {
    /// Which side we play.
    package let role: DTLSRole
    /// The retransmission schedule in use.
    package let schedule: DTLSRetransmitSchedule
    /// How retransmissions are produced.
    package let retransmitMode: DTLSRetransmitMode
    /// The largest datagram we send (DTLS record headers included; IP/UDP not).
    package let mtu: Int

    /// Lifecycle state.
    package private(set) var state: DTLSState = .new
    /// Dropped input, by reason ("dtls.notDTLS", "dtls.queueFull", "dtls.earlyDataLimit", "dtls.afterClose",
    /// `unauthenticatedAlert`).
    package private(set) var drops = DropCounters()
    /// Every handshake retransmission so far (bounded: the handshake gives up after 30 s).
    package private(set) var retransmissions: [DTLSRetransmission] = []
    /// The negotiated DTLS-SRTP profile (nil until connected, or if the peer offered none we support).
    package private(set) var srtpProfile: SRTPProtectionProfile?
    /// The negotiated cipher suite's OpenSSL name, e.g. "ECDHE-ECDSA-AES128-GCM-SHA256".
    package private(set) var cipherName: String?
    /// The peer's leaf certificate (DER), once verified.
    package private(set) var remoteCertificateDER: [UInt8]?

    /// Datagrams accepted before `start` (a server may hear the ClientHello first); beyond either
    /// bound they are dropped and counted as "dtls.queueFull".
    package static let maxQueuedDatagrams = 32
    /// Byte bound of the pre-start queue.
    package static let maxQueuedBytes = 64 * 1024
    /// Datagrams carrying application-data records accepted while connecting (they wait inside
    /// OpenSSL for the handshake to finish); beyond this they are dropped ("dtls.earlyDataLimit").
    package static let maxEarlyDataDatagrams = 64
    /// Drop reason for a plaintext (epoch 0) alert received during the handshake.
    package static let unauthenticatedAlert = "dtls.unauthenticatedAlert"
    /// Bytes of the largest `EXTRACTOR-dtls_srtp` output we export (AEAD-AES-256-GCM: 2 × (32 + 12)).
    static let maxKeyingMaterialLength = 88
    /// Times we replay our final flight for a peer still retransmitting (see the type's notes).
    package static let maxFinalFlightReplays = 8

    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let certificate: DTLSCertificate
    private let expectedFingerprints: [(algorithm: String, digest: [UInt8])]
    private let readBuffer: UnsafeMutableRawBufferPointer

    private var transmits = FIFO<[UInt8]>()
    private var events = FIFO<DTLSEvent>()
    private var preStartQueue: [[UInt8]] = []
    private var preStartBytes = 0
    private var earlyDataDatagrams = 0

    // The datagram OpenSSL is reading during the current call.
    private var input: UnsafeRawBufferPointer?
    private var inputConsumed = false

    // Handshake timer state.
    private var now = Instant.zero
    private var startedAt: Instant?
    private var lastFlight: [[UInt8]] = []
    private var callWrites: [[UInt8]] = []
    private var recordingWrites = false
    private var flightSentAt = Instant.zero
    private var flightRetransmits = 0
    private var retransmitDeadline: Instant?
    private var nativeRetransmitted = false
    private var sentFinalFlight = false
    private var finalFlightReplays = 0

    // Verification and results.
    private var verified = false
    private var verificationFailed = false
    private var receivedFatalAlert: UInt8?
    /// Where SRTP keying material is exported on request; cleansed right after every use.
    private let keyingScratch: UnsafeMutableRawBufferPointer

    /// An engine for one DTLS association. Throws if no remote fingerprint is usable (unknown
    /// hash function or malformed hex) or OpenSSL cannot be configured. The peer certificate is
    /// checked only against the fingerprints of the strongest usable hash function offered.
    package init(role: DTLSRole, certificate: DTLSCertificate, remoteFingerprints: [DTLSFingerprint], mtu: Int = 1200,
                 schedule: DTLSRetransmitSchedule = DTLSRetransmitSchedule(), retransmitMode: DTLSRetransmitMode = .native) throws {
        // RFC 8122 §5: only the strongest offered hash function counts.
        let expected = DTLSFingerprint.strongest(remoteFingerprints)
        guard !expected.isEmpty else { throw DTLSError.protocolError("no usable remote fingerprint") }
        let (context, ssl) = try Self.makeSSL(role: role, certificate: certificate, mtu: mtu)
        self.role = role
        self.certificate = certificate
        self.expectedFingerprints = expected
        self.mtu = mtu
        self.schedule = schedule
        self.retransmitMode = retransmitMode
        self.context = context
        self.ssl = ssl
        self.readBuffer = .allocate(byteCount: 16384 + 2048, alignment: 16)
        self.keyingScratch = .allocate(byteCount: Self.maxKeyingMaterialLength, alignment: 16)
        self.keyingScratch.initializeMemory(as: UInt8.self, repeating: 0)

        // Wire the callbacks to this engine (unretained: the engine owns the SSL and the BIO).
        let me = Unmanaged.passUnretained(self).toOpaque()
        SSL_CTX_set_cert_verify_callback(context, certificateVerifyCallback, me)
        _ = SSL_set_ex_data(ssl, 0, me)
        SSL_set_info_callback(ssl, infoCallback)
        DTLS_set_timer_cb(ssl, timerCallback)
        if let bio = BIO_new(datagramBIOMethod) {
            BIO_set_data(bio, me)
            SSL_set_bio(ssl, bio, bio)  // one BIO for both directions; SSL takes its one reference
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
        readBuffer.deallocate()
        OPENSSL_cleanse(keyingScratch.baseAddress, keyingScratch.count)
        keyingScratch.deallocate()
    }

    /// Cipher suites: ECDHE with AES-GCM only (RFC 8827 §6.5 requires ECDHE-ECDSA-AES128-GCM-SHA256;
    /// every browser offers GCM). ChaCha20-Poly1305 is left out so that every protected record has
    /// GCM's 24-byte minimum, which `DTLSRecordFilter` relies on.
    static let cipherList = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
    /// use_srtp profiles, offered always (Chromium sends use_srtp even for data-only sessions).
    static let srtpProfiles = "SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80"

    private static func makeSSL(role: DTLSRole, certificate: DTLSCertificate, mtu: Int) throws -> (OpaquePointer, OpaquePointer) {
        guard let ctx = SSL_CTX_new(DTLS_method()) else { throw DTLSError.protocolError("SSL_CTX_new: \(opensslErrorString())") }
        var ok = cwebrtc_SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) == 1
        ok = ok && cwebrtc_SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) == 1
        _ = SSL_CTX_set_options(ctx, cwebrtc_SSL_OP_NO_QUERY_MTU | cwebrtc_SSL_OP_NO_RENEGOTIATION | cwebrtc_SSL_OP_NO_TICKET)
        ok = ok && SSL_CTX_set_cipher_list(ctx, cipherList) == 1
        ok = ok && cwebrtc_SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") == 1
        ok = ok && SSL_CTX_use_certificate(ctx, certificate.x509) == 1
        ok = ok && SSL_CTX_use_PrivateKey(ctx, certificate.privateKey) == 1
        ok = ok && SSL_CTX_check_private_key(ctx) == 1
        ok = ok && SSL_CTX_set_tlsext_use_srtp(ctx, srtpProfiles) == 0  // 0 means success here
        _ = cwebrtc_SSL_CTX_set_session_cache_off(ctx)
        // Peer certificate required both ways; the chain check is replaced by the fingerprint check.
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        guard ok, let ssl = SSL_new(ctx) else {
            let reason = opensslErrorString()
            SSL_CTX_free(ctx)
            throw DTLSError.protocolError("OpenSSL setup: \(reason)")
        }
        guard cwebrtc_SSL_set_mtu(ssl, mtu) > 0 else {
            SSL_free(ssl); SSL_CTX_free(ctx)
            throw DTLSError.protocolError("MTU \(mtu) rejected")
        }
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
        return (ctx, ssl)
    }

    // MARK: - Driving

    /// Starts the handshake: a client sends its ClientHello; a server processes whatever arrived
    /// before and waits. The give-up clock starts now.
    package func start(now: Instant) {
        guard state == .new else { return }
        self.now = now
        state = .connecting
        startedAt = now
        if role == .client {
            callWrites.removeAll(keepingCapacity: true)
            recordingWrites = true
            advanceHandshake()
            recordingWrites = false
        }
        let queued = preStartQueue
        preStartQueue = []
        preStartBytes = 0
        for datagram in queued where state == .connecting || state == .connected {
            handleDatagram(datagram, now: now)
        }
    }

    /// Feeds one received datagram (already demultiplexed as DTLS, RFC 7983). Junk is dropped and
    /// counted; it never fails the engine.
    package func handleDatagram(_ bytes: [UInt8], now: Instant) {
        self.now = now
        guard DTLSRecordFilter.isWellFramed(bytes) else { drops.drop("dtls.notDTLS"); return }
        switch state {
        case .new:
            guard preStartQueue.count < Self.maxQueuedDatagrams, preStartBytes + bytes.count <= Self.maxQueuedBytes else {
                drops.drop("dtls.queueFull"); return
            }
            preStartQueue.append(bytes)
            preStartBytes += bytes.count
            return
        case .closed, .failed:
            drops.drop("dtls.afterClose"); return
        case .connecting:
            // RFC 6347 §4.1.2.7 spirit: an epoch-0 alert is unauthenticated, so a spoofed one
            // must not end the handshake. Drop it; a real failure still ends at the give-up time.
            if DTLSRecordFilter.hasEpochZeroAlert(bytes) { drops.drop(Self.unauthenticatedAlert); return }
            if DTLSRecordFilter.hasApplicationData(bytes) {
                guard earlyDataDatagrams < Self.maxEarlyDataDatagrams else { drops.drop("dtls.earlyDataLimit"); return }
                earlyDataDatagrams += 1
            }
        case .connected:
            break
        }
        let peerRetransmitting = state == .connected && sentFinalFlight && DTLSRecordFilter.hasEpochZeroHandshake(bytes)
        callWrites.removeAll(keepingCapacity: true)
        recordingWrites = true
        bytes.withUnsafeBytes { raw in
            input = raw
            inputConsumed = false
            defer { input = nil; recordingWrites = false }
            if state == .connecting {
                advanceHandshake()
            } else if state == .connected {
                readApplicationData()
            }
        }
        // RFC 6347 §4.2.4: the sender of the final flight retransmits it when the peer retransmits.
        if peerRetransmitting && callWrites.isEmpty && state == .connected && finalFlightReplays < Self.maxFinalFlightReplays {
            finalFlightReplays += 1
            for datagram in lastFlight { transmits.push(datagram) }
        }
    }

    /// Runs the timers: retransmits the current flight at its deadline, gives up at 30 s.
    package func handleTimeout(now: Instant) {
        self.now = now
        guard state == .connecting, let startedAt else { return }
        if now >= startedAt + schedule.giveUpAfter {
            fail(.handshakeTimeout)
            return
        }
        guard let deadline = retransmitDeadline, now >= deadline else { return }
        nativeRetransmitted = false
        callWrites.removeAll(keepingCapacity: true)
        if retransmitMode == .native {
            ERR_clear_error()
            // Retransmits only if OpenSSL's own clock agrees; `timerCallback` tells us if it did.
            recordingWrites = true
            let result = cwebrtc_DTLSv1_handle_timeout(ssl)
            recordingWrites = false
            if result < 0 {
                fail(classifyFailure())
                return
            }
        }
        if nativeRetransmitted {
            if !callWrites.isEmpty { lastFlight = callWrites }
        } else {
            for datagram in lastFlight { transmits.push(datagram) }
            noteRetransmission(native: false)
        }
    }

    /// The next datagram to send, or nil.
    package func pollTransmit() -> [UInt8]? { transmits.pop() }

    /// The next event, or nil.
    package func pollEvent() -> DTLSEvent? { events.pop() }

    /// When `handleTimeout` must next be called (only while connecting).
    package func nextDeadline() -> Instant? {
        guard state == .connecting, let startedAt else { return nil }
        return Instant.earliest(retransmitDeadline, startedAt + schedule.giveUpAfter)
    }

    /// Sends one application-data record. Throws unless connected (and so verified).
    package func send(_ bytes: [UInt8]) throws {
        switch state {
        case .connected: break
        case .closed: throw DTLSError.closed
        case .failed, .new, .connecting: throw DTLSError.protocolError("not connected")
        }
        guard verified else { throw DTLSError.fingerprintMismatch }
        guard !bytes.isEmpty else { return }
        ERR_clear_error()
        let written = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written > 0 else { throw DTLSError.protocolError("SSL_write: \(opensslErrorString())") }
    }

    /// Datagrams waiting in the pre-`start` queue (bounded by `maxQueuedDatagrams`).
    package var queuedDatagramCount: Int { preStartQueue.count }

    /// Closes: sends close_notify if connected. No events follow.
    package func close(now: Instant) {
        self.now = now
        switch state {
        case .connected:
            ERR_clear_error()
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
            state = .closed
        case .new, .connecting:
            state = .closed
        case .closed, .failed:
            break
        }
        retransmitDeadline = nil
    }

    /// The `EXTRACTOR-dtls_srtp` keying material (RFC 5764 §4.2) for the negotiated profile; nil
    /// unless the handshake finished with a verified peer and a profile was negotiated. Exported
    /// on each call (the engine keeps no copy); the caller should zero the array once it keyed
    /// SRTP, or use `withSRTPKeyingMaterial`, which zeroes its buffer itself.
    package func exportSRTPKeyingMaterial() -> [UInt8]? {
        withSRTPKeyingMaterial { [UInt8]($0) }
    }

    /// Exports the `EXTRACTOR-dtls_srtp` keying material (RFC 5764 §4.2) into an engine-owned
    /// buffer, lends it to `body`, then zeroes the buffer (OPENSSL_cleanse) before returning.
    /// `body` must not keep the pointer. nil (and `body` is not called) unless the handshake
    /// finished with a verified peer and an SRTP profile was negotiated.
    package func withSRTPKeyingMaterial<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard verified, state == .connected || state == .closed, let profile = srtpProfile else { return nil }
        let length = profile.keyingMaterialLength
        guard length <= keyingScratch.count, let base = keyingScratch.baseAddress else { return nil }
        defer { OPENSSL_cleanse(base, keyingScratch.count) }
        let label = "EXTRACTOR-dtls_srtp"
        let ok = SSL_export_keying_material(ssl, base.assumingMemoryBound(to: UInt8.self), length, label, label.utf8.count, nil, 0, 0)
        guard ok == 1 else { return nil }
        return try body(UnsafeRawBufferPointer(start: base, count: length))
    }

    /// The engine's export buffer, for tests that check it holds no key after use.
    var keyingScratchForTesting: UnsafeRawBufferPointer { UnsafeRawBufferPointer(keyingScratch) }

    // MARK: - Handshake

    private func advanceHandshake() {
        let stateBefore = SSL_get_state(ssl)
        nativeRetransmitted = false
        let writesBefore = callWrites.count
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        let wrote = callWrites.count > writesBefore
        if result == 1 {
            finishHandshake(wroteFinalFlight: wrote)
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            // A new flight is writing while the handshake moved on; a native retransmission
            // alone leaves the state where it was (and was booked by the timer callback).
            if wrote && SSL_get_state(ssl) != stateBefore {
                lastFlight = Array(callWrites[writesBefore...])
                flightSentAt = now
                flightRetransmits = 0
                retransmitDeadline = now + schedule.interval(afterRetransmissions: 0)
            }
        default:
            fail(classifyFailure())
        }
    }

    private func finishHandshake(wroteFinalFlight: Bool) {
        retransmitDeadline = nil
        guard verified, let peer = SSL_get0_peer_certificate(ssl) else {
            fail(verificationFailed ? .fingerprintMismatch : .protocolError("peer certificate not verified"))
            return
        }
        sentFinalFlight = wroteFinalFlight
        if wroteFinalFlight { lastFlight = callWrites }
        var der: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_X509(peer, &der)
        if length > 0, let der {
            remoteCertificateDER = Array(UnsafeBufferPointer(start: der, count: Int(length)))
            cwebrtc_OPENSSL_free(der)
        }
        if let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) {
            cipherName = String(cString: name)
        }
        if let selected = SSL_get_selected_srtp_profile(ssl),
           let profile = SRTPProtectionProfile(rawValue: UInt16(truncatingIfNeeded: selected.pointee.id)) {
            // Keying material is exported only on request (`withSRTPKeyingMaterial`).
            srtpProfile = profile
        }
        state = .connected
        events.push(.connected)
        readApplicationData()  // records that arrived with or before the final flight
    }

    private func readApplicationData() {
        while state == .connected {
            ERR_clear_error()
            let n = SSL_read(ssl, readBuffer.baseAddress, Int32(readBuffer.count))
            if n > 0 {
                events.push(.applicationData(Array(UnsafeRawBufferPointer(start: readBuffer.baseAddress, count: Int(n)))))
                continue
            }
            switch SSL_get_error(ssl, n) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                // close_notify received: answer with ours (RFC 5246 §7.2.1) and stop.
                _ = SSL_shutdown(ssl)
                ERR_clear_error()
                state = .closed
                events.push(.closed)
                return
            default:
                fail(classifyFailure())
                return
            }
        }
    }

    private func fail(_ error: DTLSError) {
        guard state != .failed && state != .closed else { return }
        state = .failed
        retransmitDeadline = nil
        events.push(.failed(error))
    }

    private func classifyFailure() -> DTLSError {
        let reason = opensslErrorString()
        if verificationFailed { return .fingerprintMismatch }
        if let alert = receivedFatalAlert { return .alertReceived(alert) }
        if reason.contains("read timeout expired") { return .handshakeTimeout }
        return .protocolError(reason)
    }

    private func noteRetransmission(native: Bool) {
        flightRetransmits += 1
        retransmissions.append(DTLSRetransmission(flightSentAt: flightSentAt, number: flightRetransmits, at: now, native: native))
        retransmitDeadline = now + schedule.interval(afterRetransmissions: flightRetransmits)
    }

    // MARK: - Called from OpenSSL (DTLSCallbacks.swift)

    /// Write BIO: one call, one datagram.
    func emitDatagram(_ bytes: UnsafeRawBufferPointer) {
        let datagram = [UInt8](bytes)
        transmits.push(datagram)
        if recordingWrites { callWrites.append(datagram) }
    }

    /// Read BIO: the whole current datagram once (truncated to `capacity`, as a UDP read would).
    func takeInput(into buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        guard let input, !inputConsumed, let base = input.baseAddress, input.count > 0 else { return 0 }
        inputConsumed = true
        let n = min(capacity, input.count)
        buffer.copyMemory(from: base, byteCount: n)
        return n
    }

    /// Read BIO: bytes OpenSSL could still read.
    var pendingInputCount: Int {
        guard let input, !inputConsumed else { return 0 }
        return input.count
    }

    /// Verify callback: the peer's leaf certificate against every expected fingerprint, comparing
    /// all of them in constant time (no early exit on a match).
    func verifyPeer(_ certificate: OpaquePointer?) -> Bool {
        guard let certificate else { verificationFailed = true; return false }
        var matched = false
        for expected in expectedFingerprints {
            guard let digest = DTLSFingerprint.digest(of: certificate, algorithm: expected.algorithm),
                  digest.count == expected.digest.count else { continue }
            let equal = digest.withUnsafeBytes { a in
                expected.digest.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
            }
            matched = matched || equal
        }
        if matched { verified = true } else { verificationFailed = true }
        return matched
    }

    /// Info callback: an alert went out or came in.
    func noteAlert(description: UInt8, fatal: Bool, received: Bool) {
        if received {
            if fatal { receivedFatalAlert = description }
            events.push(.alertReceived(description, fatal: fatal))
        } else {
            events.push(.alertSent(description, fatal: fatal))
        }
    }

    /// Timer callback (see the type's notes): 0 = OpenSSL starts a timer for a new flight;
    /// non-zero = OpenSSL's timer expired and it retransmits right after we return.
    func openSSLTimerValue(previous: UInt32) -> UInt32 {
        let parked: UInt32 = 3_600_000_000  // one hour: OpenSSL's own timer never fires
        guard retransmitMode == .native else { return parked }
        if previous == 0 {
            return Self.microseconds(schedule.interval(afterRetransmissions: 0))
        }
        nativeRetransmitted = true
        noteRetransmission(native: true)
        return Self.microseconds(schedule.interval(afterRetransmissions: flightRetransmits))
    }

    private static func microseconds(_ d: Duration) -> UInt32 {
        UInt32(clamping: d.nanoseconds / 1000)
    }
}
