/// Why one RTCP sub-packet of a known type was rejected; the rest of the compound is still used.
package enum RTCPBodyError: Error, Sendable, Equatable {
    /// The body is shorter than its count field or fixed part requires.
    case truncated
    /// The body is long enough but inconsistent.
    case malformed

    /// The `DropCounters` reason for this error.
    package var dropReason: String {
        switch self {
        case .truncated: RTCPDropReason.truncatedBody
        case .malformed: RTCPDropReason.malformedBody
        }
    }
}
