/// The SCTP transport carrying data channels (webrtc-pc §6.1.1).
public final class RTCSctpTransport: Sendable {
    let shared: PeerConnectionShared
    /// The DTLS transport underneath.
    public let transport: RTCDtlsTransport

    init(shared: PeerConnectionShared, transport: RTCDtlsTransport) {
        self.shared = shared
        self.transport = transport
    }

    /// connecting, connected or closed.
    public var state: RTCSctpTransportState { shared.read { $0.sctpState ?? .connecting } }
    /// The largest message `send` accepts: the remote `a=max-message-size` (65,536 when absent,
    /// `.infinity` when 0).
    public var maxMessageSize: Double { shared.read { $0.sctpMaxMessageSize } }
    /// The number of streams, once connected.
    public var maxChannels: Int? { shared.read { $0.sctpState == .connected ? 1024 : nil } }
    /// State changes.
    public var stateChanges: AsyncStream<RTCSctpTransportState> { shared.sctpStateChange.stream }
    /// Called on every state change.
    public var onStateChange: (@Sendable (RTCSctpTransportState) -> Void)? {
        get { shared.sctpStateChange.handler }
        set { shared.sctpStateChange.handler = newValue }
    }
}
