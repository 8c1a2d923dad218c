import WebRTCCore

/// Which side of the ICE session nominates (RFC 8445 §2.3). May flip on a 487 role conflict.
package enum ICERole: Sendable, Equatable {
    case controlling, controlled
}

/// RFC 8445 §5.1.1 candidate types.
package enum ICECandidateType: String, Sendable {
    case host, srflx, prflx, relay

    /// RFC 8445 §5.1.2.2 recommended type preferences.
    package var typePreference: UInt32 {
        switch self {
        case .host: return 126
        case .prflx: return 110
        case .srflx: return 100
        case .relay: return 0
        }
    }
}

/// One ICE candidate, local or remote: what the lead converts to and from SDP `candidate:` lines.
package struct ICECandidate: Hashable, Sendable {
    package var foundation: String
    package var component: UInt16 = 1
    package var transport: String = "udp"
    package var priority: UInt32
    package var address: TransportAddress
    package var type: ICECandidateType
    package var relatedAddress: TransportAddress?
    package var tcpType: String?

    package init(foundation: String, component: UInt16 = 1, transport: String = "udp", priority: UInt32,
                 address: TransportAddress, type: ICECandidateType, relatedAddress: TransportAddress? = nil, tcpType: String? = nil) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.type = type
        self.relatedAddress = relatedAddress
        self.tcpType = tcpType
    }
}

/// W3C `RTCIceConnectionState`.
package enum ICEConnectionState: Sendable, Equatable {
    case new, checking, connected, completed, disconnected, failed, closed
}

/// W3C `RTCIceGatheringState`.
package enum ICEGatheringState: Sendable, Equatable {
    case new, gathering, complete
}

/// A STUN or TURN server: `stun:host:port`, `turn:host:port[?transport=udp|tcp]`, `turns:host:port`
/// (RFC 7064/7065). TURN over TCP and TLS reach the server over a stream the driver opens on
/// request (`ICEEvent.openStream`); the relayed candidate is UDP either way.
package struct ICEServer: Sendable {
    package var urls: [String]
    package var username: String?
    package var credential: String?

    package init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }
}

/// Agent settings. Every timer is a knob; each default is explained in its property's comment.
package struct ICEAgentConfiguration: Sendable {
    package var servers: [ICEServer] = []
    /// Gather and use only relay candidates (W3C `iceTransportPolicy: "relay"`).
    package var relayOnly = false
    /// Ta, the pacing between two connectivity checks (RFC 8445 §14.2 default 50 ms; one data
    /// stream and few candidates keep the check rate well under the RFC's limits).
    package var pacing: Duration = .milliseconds(50)
    /// First retransmission timeout of a connectivity check; doubles up to `checkMaxRTO`. Below
    /// RFC 8445 §14.3's 500 ms for setup speed: both sides check in parallel, so a lost check is
    /// usually covered by the peer's triggered check anyway.
    package var checkInitialRTO: Duration = .milliseconds(250)
    package var checkMaxRTO: Duration = .seconds(2)
    /// Transmissions of one check before its pair fails (250+500+1000+2000×4 ms ≈ 9.75 s).
    package var checkMaxTransmissions = 7
    /// How long a STUN/TURN server may take before gathering gives up on it (`candidateError` 701).
    package var gatheringTimeout: Duration = .seconds(5)
    /// RFC 7675 §5.1: consent checks every 5 s ±20 % (uniform in 4–6 s), fresh transaction ids.
    package var consentInterval: Duration = .seconds(5)
    /// An unanswered consent check older than this (with nothing received since) → `disconnected`.
    package var disconnectedTimeout: Duration = .milliseconds(2500)
    /// RFC 7675 §5.1: consent lost this long after the last authenticated response → `failed`.
    package var consentTimeout: Duration = .seconds(30)
    /// Checking with no valid pair and nothing left to try (or this long at all) → `failed`.
    package var connectTimeout: Duration = .seconds(30)
    /// Requested TURN allocation lifetime in seconds (RFC 8656 §7.2 default 600).
    package var turnLifetime: UInt32 = 600
    /// Upper bound on remote candidates, signalled plus peer-reflexive (memory bound).
    package var maxRemoteCandidates = 64
    /// Resolves a STUN/TURN server host name that is not an IP literal (the driver may answer
    /// from a cache it filled before). nil or an empty answer → `candidateError` 701.
    package var resolver: (@Sendable (String) -> [IPAddress])?
    /// How `turns:` servers are authenticated: by default the chain must verify against the
    /// system's trusted roots and name the URL's host (DNS name or IP address).
    package var turnTLSVerification: ICETLSVerification = .systemRoots

    package init(servers: [ICEServer] = [], relayOnly: Bool = false) {
        self.servers = servers
        self.relayOnly = relayOnly
    }
}

/// How a TURN-over-TLS (`turns:`) client checks the server's certificate.
package enum ICETLSVerification: Sendable, Equatable {
    /// The chain must verify against the system's default trusted roots (OpenSSL's default
    /// paths), and the certificate must name the URL's host (SAN DNS name, or IP for a literal).
    case systemRoots
    /// As `systemRoots`, but trusting only the CA certificates in this PEM text (one or more
    /// `BEGIN CERTIFICATE` blocks), e.g. a test server's self-signed certificate.
    case trustedCertificatesPEM(String)
    /// No verification: the session is encrypted but the server is not authenticated. For tests
    /// and closed networks only; must be chosen explicitly.
    case disabled
}

/// Bytes the driver must send: a datagram on bound UDP socket `socket`, or, when `socket` is a
/// stream id the agent announced with `ICEEvent.openStream` (ids ≥ `ICEAgent.firstStreamID`),
/// bytes to write in order on that TCP connection (`destination` is then the server address).
package struct ICETransmit: Sendable, Equatable {
    package var socket: Int
    package var destination: TransportAddress
    package var bytes: [UInt8]

    package init(socket: Int, destination: TransportAddress, bytes: [UInt8]) {
        self.socket = socket
        self.destination = destination
        self.bytes = bytes
    }
}

/// The pair carrying data, with its last measured round-trip time.
package struct ICESelectedPair: Sendable, Equatable {
    package var local: ICECandidate
    package var remote: ICECandidate
    package var rtt: Duration?

    package init(local: ICECandidate, remote: ICECandidate, rtt: Duration? = nil) {
        self.local = local
        self.remote = remote
        self.rtt = rtt
    }
}

/// What the agent reports, in order.
package enum ICEEvent: Sendable {
    /// A new local candidate, to trickle at once.
    case localCandidate(ICECandidate)
    /// `.complete` means end-of-candidates.
    case gatheringStateChanged(ICEGatheringState)
    /// W3C `icecandidateerror`.
    case candidateError(url: String, address: String?, port: UInt16?, errorCode: Int, errorText: String)
    case connectionStateChanged(ICEConnectionState)
    case selectedPairChanged(ICESelectedPair)
    /// The agent wants a TCP connection to `to` (a TURN server reached over TCP or TLS) and named
    /// it `socket` (≥ `ICEAgent.firstStreamID`). The driver connects, then calls
    /// `streamConnected(socket:localAddress:now:)` — or `streamClosed(socket:now:)` if it fails —
    /// feeds every read to `handleStreamBytes`, and writes transmits whose `socket` is this id.
    case openStream(socket: Int, to: TransportAddress)
    /// The agent is done with stream `socket` (closed, failed, or a protocol error): the driver
    /// writes any transmits already polled for it, then closes the connection. No
    /// `streamClosed` call is needed afterwards.
    case closeStream(socket: Int)
}
