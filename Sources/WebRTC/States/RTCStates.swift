/// The JSEP signaling state (webrtc-pc §4.3.1).
public enum RTCSignalingState: String, Sendable, CaseIterable {
    /// No offer/answer exchange is in progress.
    case stable
    /// A local offer has been applied.
    case haveLocalOffer = "have-local-offer"
    /// A remote offer has been applied.
    case haveRemoteOffer = "have-remote-offer"
    /// A local provisional answer has been applied to a remote offer.
    case haveLocalPranswer = "have-local-pranswer"
    /// A remote provisional answer has been applied to a local offer.
    case haveRemotePranswer = "have-remote-pranswer"
    /// The connection is closed.
    case closed
}

/// The aggregate ICE gathering state (webrtc-pc §4.3.2).
public enum RTCIceGatheringState: String, Sendable, CaseIterable {
    /// Gathering has not started.
    case new
    /// Candidates are being gathered.
    case gathering
    /// Gathering is done (end of candidates was signalled).
    case complete
}

/// The aggregate ICE connection state (webrtc-pc §4.3.4).
public enum RTCIceConnectionState: String, Sendable, CaseIterable {
    /// No checks yet.
    case new
    /// Connectivity checks are running.
    case checking
    /// A usable pair exists.
    case connected
    /// Checks are finished and a pair is selected.
    case completed
    /// Connectivity was lost; it may come back.
    case disconnected
    /// Connectivity failed (or consent expired).
    case failed
    /// The connection is closed.
    case closed
}

/// The aggregate peer-connection state (webrtc-pc §4.3.3).
public enum RTCPeerConnectionState: String, Sendable, CaseIterable {
    /// Nothing has started.
    case new
    /// ICE or DTLS is connecting.
    case connecting
    /// ICE and DTLS are connected.
    case connected
    /// Connectivity was lost.
    case disconnected
    /// ICE or DTLS failed.
    case failed
    /// The connection is closed.
    case closed
}

/// The state of a data channel (webrtc-pc §6.2).
public enum RTCDataChannelState: String, Sendable, CaseIterable {
    /// Not yet open.
    case connecting
    /// Open: messages can be sent.
    case open
    /// Closing has started.
    case closing
    /// Closed.
    case closed
}

/// The state of the SCTP transport (webrtc-pc §6.1.1).
public enum RTCSctpTransportState: String, Sendable, CaseIterable {
    /// The association is being set up.
    case connecting
    /// The association is up.
    case connected
    /// The association is closed.
    case closed
}

/// The state of the DTLS transport (webrtc-pc §5.5).
public enum RTCDtlsTransportState: String, Sendable, CaseIterable {
    /// The handshake has not started.
    case new
    /// The handshake is in progress.
    case connecting
    /// The handshake completed and the remote certificate matched.
    case connected
    /// Closed by close_notify or by the connection.
    case closed
    /// The handshake or the connection failed.
    case failed
}

/// How m-sections are bundled (webrtc-pc §4.2.5).
public enum RTCBundlePolicy: String, Sendable {
    /// Gather per media type; bundle when the remote agrees.
    case balanced
    /// Bundle everything on one transport.
    case maxBundle = "max-bundle"
    /// Gather for every m-section.
    case maxCompat = "max-compat"
}

/// Which candidates ICE may use (webrtc-pc §4.2.4).
public enum RTCIceTransportPolicy: String, Sendable {
    /// Only relayed (TURN) candidates.
    case relay
    /// Every candidate.
    case all
}

/// Whether RTP and RTCP share a transport (webrtc-pc §4.2.6). Only `require` is supported.
public enum RTCRtcpMuxPolicy: String, Sendable {
    /// RTP and RTCP must be multiplexed.
    case require
}

/// The type of a session description.
public enum RTCSdpType: String, Sendable, CaseIterable {
    /// An offer.
    case offer
    /// A provisional answer.
    case pranswer
    /// A final answer.
    case answer
    /// A rollback to the last stable state.
    case rollback
}

/// The DTLS role of an endpoint.
public enum RTCDtlsRole: String, Sendable {
    /// DTLS client (sends ClientHello).
    case client
    /// DTLS server.
    case server
    /// Not yet known.
    case unknown
}
