/// The reasons the RTP/RTCP packet layer records in `DropCounters`. Stable identifiers for stats.
package enum RTPDropReason {
    /// Shorter than the 12-byte fixed header.
    package static let tooShort = "rtp.tooShort"
    /// The version field is not 2.
    package static let badVersion = "rtp.badVersion"
    /// The CSRC list (CC × 4 bytes) runs past the end.
    package static let csrcOverflow = "rtp.csrcOverflow"
    /// The header extension's length runs past the end.
    package static let extensionOverflow = "rtp.extensionOverflow"
    /// The P bit is set but the pad count is 0 or larger than what follows the header.
    package static let badPadding = "rtp.badPadding"
    /// An RTX packet too short to hold the original sequence number.
    package static let rtxTooShort = "rtp.rtxTooShort"
}
