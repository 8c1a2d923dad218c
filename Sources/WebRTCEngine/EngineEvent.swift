import WebRTCDTLS
import WebRTCICE
import WebRTCSCTP
import WebRTCCore

/// A local candidate as the `icecandidate` event carries it.
package struct LocalCandidateEvent: Sendable, Equatable {
    /// `candidate:…` (no `a=`), or "" for the end of a generation's candidates.
    package var candidate: String
    package var sdpMid: String?
    package var sdpMLineIndex: Int?
    package var usernameFragment: String
}

/// Everything the engine tells its driver, in the order it happened. The driver turns each into
/// a W3C event or a socket operation; the engine never calls out.
package enum EngineEvent: Sendable {
    // Signaling.
    case signalingStateChanged(SignalingState)
    case negotiationNeeded
    /// Current or pending local or remote description changed (the driver re-reads them).
    case descriptionsChanged

    // ICE.
    /// The driver binds the host sockets (one per usable local address) and calls `addHostSockets`.
    case bindHostSockets
    /// nil: gathering is complete (the W3C null candidate).
    case iceCandidate(LocalCandidateEvent?)
    case iceCandidateError(url: String, address: String?, port: UInt16?, errorCode: Int, errorText: String)
    case iceGatheringStateChanged(GatheringState)
    case iceConnectionStateChanged(IceConnectionState)
    case selectedPairChanged(ICESelectedPair)
    /// TURN over TCP/TLS: open a stream to `to`, report with `streamConnected`/`streamClosed`.
    case openStream(socket: Int, to: TransportAddress)
    case closeStream(socket: Int)

    // DTLS and the aggregate.
    case dtlsStateChanged(DtlsState)
    case dtlsRoleKnown(DTLSRole)
    case dtlsConnected(cipher: String?, remoteCertificate: [UInt8]?)
    case dtlsError(EngineError)
    case connectionStateChanged(ConnectionState)

    // SCTP and data channels (channels are named by the handle `createDataChannel` returned or
    // `remoteChannel` announced).
    case sctpTransportCreated(maxMessageSize: Double, maxChannels: Int?)
    case sctpStateChanged(SctpState)
    case channelIDAssigned(handle: Int, id: UInt16)
    case channelOpened(handle: Int)
    case remoteChannel(handle: Int, id: UInt16, parameters: DataChannelParameters)
    case message(handle: Int, DataChannelMessage)
    /// The SCTP-side buffered byte count of a channel; `low` when `bufferedamountlow` fires.
    case bufferedAmount(handle: Int, amount: Int, low: Bool)
    case channelClosing(handle: Int)
    case channelClosed(handle: Int)
    case channelError(handle: Int, EngineError)
}
