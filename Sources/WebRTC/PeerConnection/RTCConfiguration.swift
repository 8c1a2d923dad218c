/// A STUN or TURN server (webrtc-pc §4.2.2).
public struct RTCIceServer: Sendable, Hashable {
    /// `stun:`, `turn:` or `turns:` URLs, e.g. `turn:127.0.0.1:3478?transport=udp`.
    public var urls: [String]
    /// The TURN user name.
    public var username: String?
    /// The TURN password.
    public var credential: String?

    /// Creates a server entry.
    public init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }

    /// A server with one URL (the WebIDL `urls` is `(DOMString or sequence<DOMString>)`).
    public init(urls: String, username: String? = nil, credential: String? = nil) {
        self.init(urls: [urls], username: username, credential: credential)
    }
}

/// The configuration of a peer connection (webrtc-pc §4.2.1).
public struct RTCConfiguration: Sendable {
    /// STUN and TURN servers.
    public var iceServers: [RTCIceServer] = []
    /// Which candidates to use.
    public var iceTransportPolicy: RTCIceTransportPolicy = .all
    /// How to bundle m-sections.
    public var bundlePolicy: RTCBundlePolicy = .balanced
    /// RTP/RTCP multiplexing (only `require`).
    public var rtcpMuxPolicy: RTCRtcpMuxPolicy = .require
    /// Certificates to use; a fresh ECDSA P-256 one is generated when empty.
    public var certificates: [RTCCertificate] = []
    /// Size of the pre-gathered candidate pool (accepted, not used yet).
    public var iceCandidatePoolSize: Int = 0

    /// Extension: gather loopback host candidates (127.0.0.1, ::1). Tests and single-machine
    /// setups use it; a connection with no other usable interface uses loopback anyway.
    public var includeLoopbackCandidates: Bool = false
    /// Extension: gather on loopback only (127.0.0.1 and ::1) — for tests that must not touch any
    /// other network.
    public var loopbackOnly: Bool = false
    /// Extension: our advertised `a=max-message-size` (bytes).
    public var maxMessageSize: UInt64 = 262_144
    /// Extension: the UDP socket buffer size to request (SO_RCVBUF/SO_SNDBUF). Loopback bursts
    /// overflow the 208 KiB default; 4 MiB is `rmem_max` on a stock Linux.
    public var socketBufferSize: Int = 4 * 1024 * 1024

    /// Extension: how `turns:` servers are verified. `nil` (the default) verifies against the
    /// system's trusted roots; PEM text trusts only those certificates (a private TURN server).
    public var turnTrustedCertificatesPEM: String?

    /// Creates a configuration.
    public init(iceServers: [RTCIceServer] = [], iceTransportPolicy: RTCIceTransportPolicy = .all) {
        self.iceServers = iceServers
        self.iceTransportPolicy = iceTransportPolicy
    }
}

/// Options of `createOffer` (webrtc-pc §4.2.7).
public struct RTCOfferOptions: Sendable {
    /// Generate new ICE credentials, restarting ICE.
    public var iceRestart: Bool = false
    /// Creates options.
    public init(iceRestart: Bool = false) { self.iceRestart = iceRestart }
}
