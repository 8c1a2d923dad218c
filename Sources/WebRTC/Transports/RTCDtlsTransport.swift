/// The DTLS transport of a peer connection (webrtc-pc §5.5).
public final class RTCDtlsTransport: Sendable {
    let shared: PeerConnectionShared
    init(shared: PeerConnectionShared) { self.shared = shared }

    /// The transport state.
    public var state: RTCDtlsTransportState { shared.read { $0.dtlsState } }
    /// Our DTLS role once known.
    public var role: RTCDtlsRole { shared.read { $0.dtlsRole } }
    /// The negotiated cipher suite (OpenSSL name), once connected.
    public var cipherSuite: String? { shared.read { $0.dtlsCipher } }
    /// The remote certificate chain as DER bytes (leaf first), once connected.
    public func getRemoteCertificates() -> [[UInt8]] { shared.read { $0.remoteCertificates } }
    /// State changes.
    public var stateChanges: AsyncStream<RTCDtlsTransportState> { shared.dtlsTransport.stateChange.stream }
    /// Called on every state change.
    public var onStateChange: (@Sendable (RTCDtlsTransportState) -> Void)? {
        get { shared.dtlsTransport.stateChange.handler }
        set { shared.dtlsTransport.stateChange.handler = newValue }
    }
    /// Errors (fingerprint mismatch, alerts, timeouts).
    public var errors: AsyncStream<RTCError> { shared.dtlsTransport.error.stream }
    /// Called on an error.
    public var onError: (@Sendable (RTCError) -> Void)? {
        get { shared.dtlsTransport.error.handler }
        set { shared.dtlsTransport.error.handler = newValue }
    }
}
