/// Why an RTP packet was rejected. Each case maps to a stable `RTPDropReason` identifier.
package enum RTPParseError: Error, Sendable, Equatable {
    /// Shorter than the 12-byte fixed header.
    case tooShort
    /// The version field is not 2.
    case badVersion
    /// The CSRC list runs past the end.
    case csrcOverflow
    /// The header extension's declared length runs past the end.
    case extensionOverflow
    /// The pad count is 0 or larger than the bytes after the header.
    case badPadding

    /// The `DropCounters` reason for this error.
    package var dropReason: String {
        switch self {
        case .tooShort: RTPDropReason.tooShort
        case .badVersion: RTPDropReason.badVersion
        case .csrcOverflow: RTPDropReason.csrcOverflow
        case .extensionOverflow: RTPDropReason.extensionOverflow
        case .badPadding: RTPDropReason.badPadding
        }
    }
}
