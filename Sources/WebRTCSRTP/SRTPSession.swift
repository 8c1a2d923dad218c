import CWebRTCSRTP
import WebRTCCore

/// One direction of SRTP/SRTCP protection for one DTLS-SRTP association, backed by a libsrtp
/// `srtp_t` that this object owns and frees in `deinit`.
///
/// - Outbound sessions use an `ssrc_any_outbound` policy: libsrtp creates per-SSRC state the
///   first time an SSRC is protected.
/// - Inbound sessions use an `ssrc_any_inbound` policy. libsrtp 2.5 processes a packet for an
///   unknown SSRC with its template stream and clones per-SSRC state only after the tag verified
///   (srtp/srtp.c, `srtp_unprotect_mki`, `srtp_unprotect_aead`, `srtp_unprotect_rtcp_mki`,
///   `srtp_unprotect_rtcp_aead`: the `stream == ctx->stream_template` clone comes after the auth
///   check), and never writes to the template's replay database. So unauthenticated packets
///   create no state; the tests check this behaviourally.
///
/// Replay protection is on (RFC 3711 §3.3.2). Receive failures never throw: the packet is
/// dropped, counted in `drops` by reason, and `false` is returned.
///
/// Not thread-safe: use from one serial executor.
package final class SRTPSession {
    /// Which way packets flow through this session.
    package enum Direction: Sendable, Equatable {
        /// Packets we send: `protectRTP` / `protectRTCP`.
        case outbound
        /// Packets we receive: `unprotectRTP` / `unprotectRTCP`.
        case inbound
    }

    /// The negotiated protection profile.
    package let profile: SRTPProfile
    /// Whether this session protects or unprotects.
    package let direction: Direction
    /// Receive-side packets dropped so far, by `SRTPDropReason`.
    package private(set) var drops = DropCounters()

    private let context: OpaquePointer

    /// Zero bytes appended before an in-place protect: libsrtp may write up to
    /// `SRTP_MAX_TRAILER_LEN` bytes past the packet.
    private static let spareTrailer = [UInt8](repeating: 0, count: SRTPLibrary.maxTrailerLength)

    /// Creates a session for `profile` with the given master key and salt.
    ///
    /// - Parameter replayWindow: replay window size in packets for SRTP (libsrtp accepts
    ///   64 ..< 32768; RFC 3711 §3.3.2 requires at least 64). SRTCP uses libsrtp's fixed window.
    /// - Throws: `SRTPError` with `.badKeyLength`, `.badReplayWindow`, `.createFailed` or `.libraryInit`.
    package init(profile: SRTPProfile, key: [UInt8], salt: [UInt8], direction: Direction,
                 replayWindow: Int = 1024) throws {
        try SRTPLibrary.ensureInitialized()
        guard key.count == profile.keyLength, salt.count == profile.saltLength else {
            throw SRTPError(.badKeyLength)
        }
        guard (64..<0x8000).contains(replayWindow) else { throw SRTPError(.badReplayWindow) }

        var policy = srtp_policy_t()
        switch profile {
        case .aes128CmSha1_80:
            // srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 is a macro for these two.
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        case .aeadAes128Gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        case .aeadAes256Gcm:
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp)
        }
        policy.ssrc.type = direction == .outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.ssrc.value = 0
        policy.window_size = UInt(replayWindow)
        // Never re-protect a used index: with a stream cipher that would reuse keystream.
        policy.allow_repeat_tx = 0
        policy.next = nil

        // libsrtp takes the master key and salt concatenated; it derives session keys in
        // srtp_create and keeps no pointer to this buffer.
        var master = key + salt
        var handle: OpaquePointer?
        let status = master.withUnsafeMutableBufferPointer { buffer -> srtp_err_status_t in
            policy.key = buffer.baseAddress
            return srtp_create(&handle, &policy)
        }
        policy.key = nil
        for i in master.indices { master[i] = 0 }
        guard status == srtp_err_status_ok, let handle else {
            throw SRTPError(.createFailed, status: Int32(bitPattern: status.rawValue))
        }
        self.context = handle
        self.profile = profile
        self.direction = direction
    }

    deinit {
        _ = srtp_dealloc(context)
    }

    // MARK: Protect

    /// Encrypts and authenticates an RTP packet in place; the packet grows by
    /// `profile.rtpOverhead` bytes. Reserve `count + SRTP_MAX_TRAILER_LEN` (144) capacity up front to
    /// avoid a reallocation.
    /// - Throws: `SRTPError` if the header is malformed, the session is inbound, or libsrtp refuses
    ///   (for example a sequence number that was already protected).
    package func protectRTP(_ packet: inout [UInt8]) throws {
        try protect(&packet, rtcp: false)
    }

    /// Encrypts and authenticates an RTCP compound packet in place; the packet grows by
    /// `profile.rtcpOverhead` bytes (SRTCP index word and tag, RFC 3711 §3.4).
    package func protectRTCP(_ packet: inout [UInt8]) throws {
        try protect(&packet, rtcp: true)
    }

    @inline(__always)
    private func protect(_ packet: inout [UInt8], rtcp: Bool) throws {
        guard direction == .outbound else { throw SRTPError(.wrongDirection) }
        let original = packet.count
        let minimum = rtcp ? 8 : 12
        guard original >= minimum, original <= Int(Int32.max) - SRTPLibrary.maxTrailerLength else {
            throw SRTPError(.badPacket)
        }
        packet.append(contentsOf: Self.spareTrailer)
        var length = Int32(original)
        let context = self.context
        let status = packet.withUnsafeMutableBytes { raw -> srtp_err_status_t in
            rtcp ? srtp_protect_rtcp(context, raw.baseAddress, &length)
                 : srtp_protect(context, raw.baseAddress, &length)
        }
        guard status == srtp_err_status_ok, Int(length) >= original, Int(length) <= packet.count else {
            packet.removeLast(packet.count - original)
            let code = Int32(bitPattern: status.rawValue)
            throw SRTPError(status == srtp_err_status_bad_param ? .badPacket : .protectFailed, status: code)
        }
        packet.removeLast(packet.count - Int(length))
    }

    // MARK: Unprotect

    /// Verifies and decrypts an SRTP packet in place, shrinking it to the plain RTP packet.
    /// Returns false (and counts the reason in `drops`) for an authentication failure, a replay,
    /// a packet that is too short or has a malformed header; the packet's bytes are then
    /// unspecified.
    package func unprotectRTP(_ packet: inout [UInt8]) -> Bool {
        unprotect(&packet, rtcp: false)
    }

    /// Verifies and decrypts an SRTCP packet in place, shrinking it to the plain RTCP compound
    /// packet. Same drop rules as `unprotectRTP`.
    package func unprotectRTCP(_ packet: inout [UInt8]) -> Bool {
        unprotect(&packet, rtcp: true)
    }

    @inline(__always)
    private func unprotect(_ packet: inout [UInt8], rtcp: Bool) -> Bool {
        guard direction == .inbound else {
            drops.drop(SRTPDropReason.wrongDirection)
            return false
        }
        // Header (12 RTP / 8 RTCP) plus what protect appended; checked before libsrtp sees it.
        let minimum = rtcp ? 8 + profile.rtcpOverhead : 12 + profile.rtpOverhead
        guard packet.count >= minimum else {
            drops.drop(rtcp ? SRTPDropReason.rtcpTooShort : SRTPDropReason.rtpTooShort)
            return false
        }
        // RFC 3550 §5.1 / §6.4.1: version 2 only.
        guard packet.count <= Int(Int32.max), packet[0] >> 6 == 2 else {
            drops.drop(rtcp ? SRTPDropReason.rtcpBadHeader : SRTPDropReason.rtpBadHeader)
            return false
        }
        var length = Int32(packet.count)
        let context = self.context
        let status = packet.withUnsafeMutableBytes { raw -> srtp_err_status_t in
            rtcp ? srtp_unprotect_rtcp(context, raw.baseAddress, &length)
                 : srtp_unprotect(context, raw.baseAddress, &length)
        }
        if status == srtp_err_status_ok, length >= 0, Int(length) <= packet.count {
            packet.removeLast(packet.count - Int(length))
            return true
        }
        drops.drop(Self.reason(for: status, rtcp: rtcp))
        return false
    }

    private static func reason(for status: srtp_err_status_t, rtcp: Bool) -> String {
        switch status {
        case srtp_err_status_auth_fail:
            return rtcp ? SRTPDropReason.rtcpAuthFail : SRTPDropReason.rtpAuthFail
        case srtp_err_status_replay_fail:
            return rtcp ? SRTPDropReason.rtcpReplay : SRTPDropReason.rtpReplay
        case srtp_err_status_replay_old, srtp_err_status_pkt_idx_old:
            return rtcp ? SRTPDropReason.rtcpReplayOld : SRTPDropReason.rtpReplayOld
        case srtp_err_status_bad_param, srtp_err_status_parse_err:
            return rtcp ? SRTPDropReason.rtcpBadHeader : SRTPDropReason.rtpBadHeader
        default:
            return rtcp ? SRTPDropReason.rtcpOther : SRTPDropReason.rtpOther
        }
    }
}
