/// An error of the WebRTC API, shaped like the W3C `RTCError` / `DOMException` pair.
///
/// `name` is the DOMException name the spec gives for the failure (`InvalidStateError`, …);
/// `errorDetail` narrows protocol failures (`sdpSyntaxError`, `dtlsFailure`, …).
public struct RTCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The DOMException-style name of an error.
    public struct Name: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The name as JavaScript writes it, e.g. `InvalidStateError`.
        public var rawValue: String
        /// Wraps a name (for names this type does not list).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A failure of the operation itself (`OperationError`).
        public static let operationError = Name(rawValue: "OperationError")
        /// The object is in the wrong state for the call (`InvalidStateError`).
        public static let invalidStateError = Name(rawValue: "InvalidStateError")
        /// An argument is not acceptable in this context (`InvalidAccessError`).
        public static let invalidAccessError = Name(rawValue: "InvalidAccessError")
        /// A modification that is not allowed (`InvalidModificationError`).
        public static let invalidModificationError = Name(rawValue: "InvalidModificationError")
        /// The feature or value is not supported (`NotSupportedError`).
        public static let notSupportedError = Name(rawValue: "NotSupportedError")
        /// An argument has the wrong type or an out-of-range value (`TypeError`).
        public static let typeError = Name(rawValue: "TypeError")
        /// Text could not be parsed (`SyntaxError`).
        public static let syntaxError = Name(rawValue: "SyntaxError")
        /// A value is outside its allowed range (`RangeError`).
        public static let rangeError = Name(rawValue: "RangeError")
        public var description: String { rawValue }
    }

    /// The protocol layer an error comes from (W3C `RTCErrorDetailType`).
    public struct Detail: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value as the W3C enum writes it, e.g. `sdp-syntax-error`.
        public var rawValue: String
        /// Wraps a value (for details this type does not list).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A session description could not be parsed; see ``RTCError/sdpLineNumber``.
        public static let sdpSyntaxError = Detail(rawValue: "sdp-syntax-error")
        /// The DTLS handshake or connection failed; see ``RTCError/receivedAlert`` and ``RTCError/sentAlert``.
        public static let dtlsFailure = Detail(rawValue: "dtls-failure")
        /// The remote certificate did not match any signalled fingerprint.
        public static let fingerprintFailure = Detail(rawValue: "fingerprint-failure")
        /// The SCTP association failed; see ``RTCError/sctpCauseCode``.
        public static let sctpFailure = Detail(rawValue: "sctp-failure")
        /// A data channel failed.
        public static let dataChannelFailure = Detail(rawValue: "data-channel-failure")
        /// No hardware encoder is available.
        public static let hardwareEncoderNotAvailable = Detail(rawValue: "hardware-encoder-not-available")
        /// The hardware encoder failed.
        public static let hardwareEncoderError = Detail(rawValue: "hardware-encoder-error")
        public var description: String { rawValue }
    }

    /// The DOMException-style name.
    public var name: Name
    /// The protocol detail, when the error comes from a protocol layer.
    public var errorDetail: Detail?
    /// A human-readable explanation a user can act on.
    public var message: String
    /// The 1-based line of the session description that failed to parse.
    public var sdpLineNumber: Int?
    /// The SCTP cause code of an abort (RFC 4960 §3.3.10).
    public var sctpCauseCode: Int?
    /// The DTLS alert description received from the peer.
    public var receivedAlert: Int?
    /// The DTLS alert description we sent.
    public var sentAlert: Int?
    /// The HTTP status of a failed request (unused by data channels).
    public var httpRequestStatusCode: Int?

    /// Creates an error.
    public init(_ name: Name, _ message: String, detail: Detail? = nil, sdpLineNumber: Int? = nil,
                sctpCauseCode: Int? = nil, receivedAlert: Int? = nil, sentAlert: Int? = nil) {
        self.name = name
        self.message = message
        self.errorDetail = detail
        self.sdpLineNumber = sdpLineNumber
        self.sctpCauseCode = sctpCauseCode
        self.receivedAlert = receivedAlert
        self.sentAlert = sentAlert
    }

    public var description: String {
        var s = "\(name): \(message)"
        if let errorDetail { s += " [\(errorDetail)]" }
        if let sdpLineNumber { s += " (SDP line \(sdpLineNumber))" }
        return s
    }

    static func invalidState(_ message: String) -> RTCError { RTCError(.invalidStateError, message) }
    static let closed = RTCError(.invalidStateError, "The RTCPeerConnection is closed.")
}
