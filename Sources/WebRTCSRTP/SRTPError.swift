/// An error from setting up or using an SRTP session on the *sending* side. Receive-side
/// failures are never thrown: they are dropped and counted (see `SRTPSession.drops`).
package struct SRTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    package enum Kind: Sendable, Equatable {
        /// `srtp_init()` failed.
        case libraryInit
        /// Key or salt length does not match the profile, or the keying-material blob is the wrong size.
        case badKeyLength
        /// The replay window is outside libsrtp's accepted range (64 ..< 32768).
        case badReplayWindow
        /// `srtp_create` failed.
        case createFailed
        /// The packet is too short or too long to be an RTP/RTCP packet.
        case badPacket
        /// `protect` was called on an inbound session.
        case wrongDirection
        /// `srtp_protect`/`srtp_protect_rtcp` failed (for example a repeated sequence number).
        case protectFailed
    }

    /// What went wrong.
    package let kind: Kind
    /// The libsrtp `srtp_err_status_t` value, 0 when the error did not come from libsrtp.
    package let status: Int32

    /// Creates an error of `kind` with the libsrtp status code (0 if none).
    package init(_ kind: Kind, status: Int32 = 0) {
        self.kind = kind
        self.status = status
    }

    package var description: String { "SRTPError(\(kind), status: \(status))" }
}
