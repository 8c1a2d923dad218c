/// The reasons `SRTPSession` records in its `DropCounters`. Stable identifiers for stats.
package enum SRTPDropReason {
    /// SRTP: the authentication tag did not verify (`srtp_err_status_auth_fail`).
    package static let rtpAuthFail = "srtp.authFail"
    /// SRTP: index already seen in the replay window (`srtp_err_status_replay_fail`).
    package static let rtpReplay = "srtp.replay"
    /// SRTP: index older than the replay window (`srtp_err_status_replay_old`, `pkt_idx_old`).
    package static let rtpReplayOld = "srtp.replayOld"
    /// SRTP: shorter than a fixed header plus the tag.
    package static let rtpTooShort = "srtp.tooShort"
    /// SRTP: not version 2, or CSRC/extension lengths run past the end (`srtp_err_status_bad_param`).
    package static let rtpBadHeader = "srtp.badHeader"
    /// SRTP: any other libsrtp failure (cipher failure, key expired, allocation).
    package static let rtpOther = "srtp.other"

    /// SRTCP: the authentication tag did not verify.
    package static let rtcpAuthFail = "srtcp.authFail"
    /// SRTCP: index already seen in the replay window.
    package static let rtcpReplay = "srtcp.replay"
    /// SRTCP: index older than the replay window.
    package static let rtcpReplayOld = "srtcp.replayOld"
    /// SRTCP: shorter than an RTCP header plus index word plus tag.
    package static let rtcpTooShort = "srtcp.tooShort"
    /// SRTCP: not version 2 or otherwise rejected as malformed.
    package static let rtcpBadHeader = "srtcp.badHeader"
    /// SRTCP: any other libsrtp failure.
    package static let rtcpOther = "srtcp.other"

    /// `unprotect` called on an outbound session.
    package static let wrongDirection = "srtp.wrongDirection"
}
