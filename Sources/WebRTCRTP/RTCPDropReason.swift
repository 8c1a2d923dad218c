/// The reasons the RTCP parser records in `DropCounters`. Stable identifiers for stats.
package enum RTCPDropReason {
    /// Shorter than one 4-byte RTCP header.
    package static let tooShort = "rtcp.tooShort"
    /// A sub-packet's version is not 2.
    package static let badVersion = "rtcp.badVersion"
    /// A sub-packet's length field runs past the end of the compound packet (RFC 3550 §6.4.1).
    package static let lengthOverflow = "rtcp.lengthOverflow"
    /// A padding count of 0 or larger than the sub-packet body, or padding before the last packet.
    package static let badPadding = "rtcp.badPadding"
    /// A packet type outside 192…223 (RFC 5761 §4): not RTCP at all.
    package static let notRTCP = "rtcp.notRTCP"
    /// A known packet whose body is too short for its count field or fixed part (one sub-packet dropped).
    package static let truncatedBody = "rtcp.truncatedBody"
    /// A known packet whose content is inconsistent (e.g. an SDES chunk without its terminator).
    package static let malformedBody = "rtcp.malformedBody"
    /// A packet type or feedback format this layer does not interpret (skipped, not an error).
    package static let unknownSkipped = "rtcp.unknownSkipped"
}
