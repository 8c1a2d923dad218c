/// The engine's view of the W3C state enums. Raw values are the W3C strings, so the public
/// module maps each one to its `RTC…` twin by raw value.
package enum SignalingState: String, Sendable, Equatable, CaseIterable {
    case stable
    case haveLocalOffer = "have-local-offer"
    case haveRemoteOffer = "have-remote-offer"
    case haveLocalPranswer = "have-local-pranswer"
    case haveRemotePranswer = "have-remote-pranswer"
    case closed
}

/// `RTCSdpType`.
package enum SdpType: String, Sendable, Equatable, CaseIterable {
    case offer, pranswer, answer, rollback
}

/// `RTCIceGatheringState`.
package enum GatheringState: String, Sendable, Equatable {
    case new, gathering, complete
}

/// `RTCIceConnectionState`.
package enum IceConnectionState: String, Sendable, Equatable {
    case new, checking, connected, completed, disconnected, failed, closed
}

/// `RTCPeerConnectionState`.
package enum ConnectionState: String, Sendable, Equatable {
    case new, connecting, connected, disconnected, failed, closed
}

/// `RTCDtlsTransportState`.
package enum DtlsState: String, Sendable, Equatable {
    case new, connecting, connected, closed, failed
}

/// `RTCSctpTransportState`.
package enum SctpState: String, Sendable, Equatable {
    case connecting, connected, closed
}

/// `RTCDataChannelState`.
package enum ChannelState: String, Sendable, Equatable {
    case connecting, open, closing, closed
}

/// A failed command or a protocol failure, shaped like the W3C `RTCError`/`DOMException` pair so
/// the public module maps it field by field.
package struct EngineError: Error, Sendable, Equatable {
    /// DOMException names the engine uses.
    package enum Name: String, Sendable {
        case operationError = "OperationError"
        case invalidStateError = "InvalidStateError"
        case invalidAccessError = "InvalidAccessError"
        case invalidModificationError = "InvalidModificationError"
        case notSupportedError = "NotSupportedError"
        case typeError = "TypeError"
        case syntaxError = "SyntaxError"
    }

    /// `RTCErrorDetailType` values the engine produces.
    package enum Detail: String, Sendable {
        case sdpSyntaxError = "sdp-syntax-error"
        case dtlsFailure = "dtls-failure"
        case fingerprintFailure = "fingerprint-failure"
        case sctpFailure = "sctp-failure"
        case dataChannelFailure = "data-channel-failure"
    }

    package var name: Name
    package var message: String
    package var detail: Detail?
    package var sdpLineNumber: Int?
    package var sctpCauseCode: Int?
    package var receivedAlert: Int?
    package var sentAlert: Int?

    package init(_ name: Name, _ message: String, detail: Detail? = nil, sdpLineNumber: Int? = nil,
                 sctpCauseCode: Int? = nil, receivedAlert: Int? = nil, sentAlert: Int? = nil) {
        self.name = name
        self.message = message
        self.detail = detail
        self.sdpLineNumber = sdpLineNumber
        self.sctpCauseCode = sctpCauseCode
        self.receivedAlert = receivedAlert
        self.sentAlert = sentAlert
    }

    /// webrtc-pc §4.4.1.7: every method of a closed connection throws `InvalidStateError`.
    package static let closed = EngineError(.invalidStateError, "The RTCPeerConnection is closed.")
}
