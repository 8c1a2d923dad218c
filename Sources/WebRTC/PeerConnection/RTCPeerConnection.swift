import NIOCore
import Synchronization
import WebRTCCore
import WebRTCEngine
import WebRTCICE
import WebRTCSCTP

/// A WebRTC peer connection (webrtc-pc §4.4), as async/await Swift.
///
/// Each connection runs on one serial executor — an actor on the SwiftNIO event loop that owns
/// its sockets — which drives the signaling, ICE and DTLS/SCTP state machines and the packet
/// path. State properties are readable from any thread; every event is both a handler property
/// (`onIceCandidate`, …, run on the connection's executor) and an `AsyncStream`.
///
/// ```swift
/// let pc = try RTCPeerConnection()
/// pc.onDataChannel = { channel in channel.onMessage = { try? channel.send($0) } }
/// try await pc.setRemoteDescription(offer)
/// try await pc.setLocalDescription()
/// ```
public final class RTCPeerConnection: Sendable {
    let driver: PeerConnectionDriver
    let shared: PeerConnectionShared
    private let closedFlag = Atomic<Bool>(false)
    /// The DTLS transport (one per connection: data channels are bundled).
    let dtlsTransport: RTCDtlsTransport
    private let sctpTransport: RTCSctpTransport

    /// Creates a connection; throws `SyntaxError` for a malformed ICE server URL and
    /// `InvalidAccessError` for a TURN server without credentials.
    public init(configuration: RTCConfiguration = RTCConfiguration()) throws {
        try Self.validate(configuration)
        let certificates = configuration.certificates.isEmpty ? [try RTCCertificate.generate()] : configuration.certificates
        var config = configuration
        config.certificates = certificates
        shared = PeerConnectionShared(configuration: config)
        let engine = PeerConnectionEngine(configuration: Self.engineConfiguration(config, certificates: certificates))
        driver = PeerConnectionDriver(configuration: config, engine: engine, shared: shared, eventLoop: SharedEventLoop.loop)
        dtlsTransport = RTCDtlsTransport(shared: shared)
        sctpTransport = RTCSctpTransport(shared: shared, transport: dtlsTransport)
    }

    deinit {
        let driver = self.driver
        if !closedFlag.load(ordering: .relaxed) {
            driver.eventLoop.execute { driver.assumeIsolated { $0.close() } }
        }
    }

    /// The engine's plain-data form of the public configuration.
    static func engineConfiguration(_ c: RTCConfiguration, certificates: [RTCCertificate]) -> EngineConfiguration {
        var ice = ICEAgentConfiguration()
        ice.servers = iceServers(c)
        ice.relayOnly = c.iceTransportPolicy == .relay
        if let pem = c.turnTrustedCertificatesPEM { ice.turnTLSVerification = .trustedCertificatesPEM(pem) }
        return EngineConfiguration(certificates: certificates.map(\.dtls), ice: ice, maxMessageSize: c.maxMessageSize)
    }

    static func iceServers(_ c: RTCConfiguration) -> [ICEServer] {
        c.iceServers.map { ICEServer(urls: $0.urls, username: $0.username, credential: $0.credential) }
    }

    static func validate(_ c: RTCConfiguration) throws {
        // webrtc-pc §4.4.1.2 step 4: an expired certificate is an InvalidAccessError.
        if let expired = c.certificates.first(where: \.isExpired) {
            throw RTCError(.invalidAccessError, "The certificate \(expired.sha256Fingerprint.prefix(23))… has expired.")
        }
        for server in c.iceServers {
            for url in server.urls {
                let scheme = url.split(separator: ":", maxSplits: 1).first.map(String.init)?.lowercased()
                guard let scheme, ["stun", "stuns", "turn", "turns"].contains(scheme), url.count > scheme.count + 1 else {
                    throw RTCError(.syntaxError, "Invalid ICE server URL \(url).")
                }
                if scheme.hasPrefix("turn"), server.username == nil || server.credential == nil {
                    throw RTCError(.invalidAccessError, "TURN server \(url) needs a username and a credential.")
                }
            }
        }
    }

    /// Generates a certificate to pass in ``RTCConfiguration/certificates`` (webrtc-pc §4.10.1):
    /// `keygenAlgorithm` as ``RTCCertificate/KeyType``, `expires` capped at 365 days;
    /// `NotSupportedError` for an algorithm this stack does not generate.
    public static func generateCertificate(_ keyType: RTCCertificate.KeyType = .ecdsaP256,
                                           expires: Duration = .seconds(30 * 86_400)) async throws -> RTCCertificate {
        try RTCCertificate.generate(keyType, expires: expires)
    }

    var isClosedForLegacy: Bool { closedFlag.load(ordering: .acquiring) }

    private func checkOpen() throws {
        if closedFlag.load(ordering: .acquiring) { throw RTCError.closed }
    }

    // MARK: - JSEP

    /// Creates an offer for the current state (webrtc-pc §4.4.1.4).
    nonisolated(nonsending) public func createOffer(_ options: RTCOfferOptions = RTCOfferOptions()) async throws -> RTCSessionDescription {
        try checkOpen()
        let sdp = try await driver.chainedEngine { engine, _ throws(EngineError) in try engine.createOffer(iceRestart: options.iceRestart) }
        return RTCSessionDescription(type: .offer, sdp: sdp)
    }

    /// Creates an answer to the applied remote offer; `InvalidStateError` without one.
    nonisolated(nonsending) public func createAnswer() async throws -> RTCSessionDescription {
        try checkOpen()
        let sdp = try await driver.chainedEngine { engine, _ throws(EngineError) in try engine.createAnswer() }
        return RTCSessionDescription(type: .answer, sdp: sdp)
    }

    /// Applies a local description; with no argument (or an empty SDP) creates the right one
    /// first (implicit `setLocalDescription`). Events the spec fires are delivered before it returns.
    nonisolated(nonsending) public func setLocalDescription(_ description: RTCSessionDescription? = nil) async throws {
        try checkOpen()
        try await driver.chained { (d: isolated PeerConnectionDriver) throws(RTCError) in try d.setLocalDescription(description) }
    }

    /// Applies a remote description. Malformed SDP throws `RTCError` with
    /// `errorDetail == .sdpSyntaxError` and the `sdpLineNumber`.
    nonisolated(nonsending) public func setRemoteDescription(_ description: RTCSessionDescription) async throws {
        try checkOpen()
        try await driver.chainedEngine { engine, now throws(EngineError) in
            try engine.setRemoteDescription(type: SdpType(description.type), sdp: description.sdp, now: now)
        }
    }

    /// Adds a remote candidate; nil or an empty `candidate` means end-of-candidates.
    nonisolated(nonsending) public func addIceCandidate(_ candidate: RTCIceCandidateInit? = nil) async throws {
        try checkOpen()
        try await driver.chainedEngine { engine, now throws(EngineError) in
            try engine.addIceCandidate(candidate?.candidate, sdpMid: candidate?.sdpMid, sdpMLineIndex: candidate?.sdpMLineIndex,
                                       usernameFragment: candidate?.usernameFragment, now: now)
        }
    }

    /// Adds a remote candidate.
    nonisolated(nonsending) public func addIceCandidate(_ candidate: RTCIceCandidate) async throws {
        try await addIceCandidate(candidate.toJSON())
    }

    /// Asks for an ICE restart at the next offer and fires `negotiationneeded`.
    public func restartIce() {
        guard !closedFlag.load(ordering: .acquiring) else { return }
        driver.eventLoop.execute { [driver] in driver.assumeIsolated { d in d.engine.restartIce(); d.flush() } }
    }

    // MARK: - Descriptions and states

    /// The pending local description if any, else the current one.
    public var localDescription: RTCSessionDescription? { RTCSessionDescription(shared.read { $0.descriptions.pendingLocal ?? $0.descriptions.currentLocal }) }
    /// The local description of the last completed negotiation.
    public var currentLocalDescription: RTCSessionDescription? { RTCSessionDescription(shared.read { $0.descriptions.currentLocal }) }
    /// The local description of a negotiation in progress.
    public var pendingLocalDescription: RTCSessionDescription? { RTCSessionDescription(shared.read { $0.descriptions.pendingLocal }) }
    /// The pending remote description if any, else the current one.
    public var remoteDescription: RTCSessionDescription? { RTCSessionDescription(shared.read { $0.descriptions.pendingRemote ?? $0.descriptions.currentRemote }) }
    /// The remote description of the last completed negotiation.
    public var currentRemoteDescription: RTCSessionDescription? { RTCSessionDescription(shared.read { $0.descriptions.currentRemote }) }
    /// The remote description of a negotiation in progress.
    public var pendingRemoteDescription: RTCSessionDescription? { RTCSessionDescription(shared.read { $0.descriptions.pendingRemote }) }
    /// The signaling state.
    public var signalingState: RTCSignalingState { shared.read { $0.signalingState } }
    /// The ICE gathering state.
    public var iceGatheringState: RTCIceGatheringState { shared.read { $0.iceGatheringState } }
    /// The ICE connection state.
    public var iceConnectionState: RTCIceConnectionState { shared.read { $0.iceConnectionState } }
    /// The aggregate connection state.
    public var connectionState: RTCPeerConnectionState { shared.read { $0.connectionState } }
    /// Whether the remote accepts trickled candidates (nil until a remote description is set).
    public var canTrickleIceCandidates: Bool? { shared.read { $0.descriptions.remoteCanTrickle } }
    /// The SCTP transport; nil until a description with a data m-section is applied.
    public var sctp: RTCSctpTransport? { shared.read { $0.sctpState } == nil ? nil : sctpTransport }

    /// The configuration in use.
    public func getConfiguration() -> RTCConfiguration { shared.read { $0.configuration } }

    /// Changes the configuration (webrtc-pc §4.4.1.6): certificates, bundle and rtcp-mux policy
    /// cannot change (`InvalidModificationError`); servers and transport policy apply to the next gathering.
    public func setConfiguration(_ configuration: RTCConfiguration) throws {
        try checkOpen()
        try Self.validate(configuration)
        let current = getConfiguration()
        if !configuration.certificates.isEmpty && configuration.certificates != current.certificates {
            throw RTCError(.invalidModificationError, "Certificates cannot change.")
        }
        if configuration.bundlePolicy != current.bundlePolicy || configuration.rtcpMuxPolicy != current.rtcpMuxPolicy {
            throw RTCError(.invalidModificationError, "bundlePolicy and rtcpMuxPolicy cannot change.")
        }
        var next = configuration
        next.certificates = current.certificates
        let applied = next
        shared.update { $0.configuration = applied }
        let servers = Self.iceServers(applied)
        let relayOnly = applied.iceTransportPolicy == .relay
        driver.eventLoop.execute { [driver] in
            driver.assumeIsolated { d in
                d.configuration = applied
                d.engine.updateICEServers(servers, relayOnly: relayOnly)
            }
        }
    }

    /// Closes the connection: every state becomes `closed` and every data channel `closed` before
    /// this returns, with no events; later calls throw `InvalidStateError`. Idempotent.
    public func close() {
        guard closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        for ch in shared.registeredChannels() { ch.closeSilently() }
        shared.update {
            $0.signalingState = .closed
            $0.iceConnectionState = .closed
            $0.connectionState = .closed
            if $0.sctpState != nil { $0.sctpState = .closed }
            $0.isClosed = true
        }
        // No event after close() returns, even one the executor publishes before it runs the
        // scheduled close below.
        shared.finishEvents()
        if driver.eventLoop.inEventLoop {
            driver.assumeIsolated { $0.close() }
        } else {
            // Wait for the executor: a handler it is running right now finishes first, and none
            // runs after close() returns. The loop never blocks, so this wait is short.
            try? driver.eventLoop.submit { [driver] in driver.assumeIsolated { $0.close() } }.wait()
        }
    }

    /// Creates a data channel (webrtc-pc §6.1) and returns it at once, `connecting`. Throws
    /// `TypeError` for invalid options, `OperationError` for a negotiated id already in use and
    /// `InvalidStateError` on a closed connection. The first channel fires `negotiationneeded`.
    public func createDataChannel(_ label: String, _ options: RTCDataChannelInit = RTCDataChannelInit()) throws -> RTCDataChannel {
        try checkOpen()
        let params = try Self.channelParameters(label: label, options)
        if params.negotiated, let id = params.id,
           shared.registeredChannels().contains(where: { $0.readyState != .closed && $0.id == Int(id) }) {
            throw RTCError(.operationError, "A data channel with id \(id) already exists.")
        }
        let channel = RTCDataChannel(parameters: params, handle: driver.allocateChannelHandle(), driver: driver,
                                     maxMessageSize: shared.read { $0.sctpMaxMessageSize })
        shared.register(channel)
        // The engine learns of it on the connection's executor, in call order with later calls.
        if driver.eventLoop.inEventLoop {
            driver.assumeIsolated { $0.open(channel) }
        } else {
            driver.eventLoop.execute { [driver] in driver.assumeIsolated { $0.open(channel) } }
        }
        return channel
    }

    /// webrtc-pc §6.1 createDataChannel steps: the options as SCTP channel parameters, or the
    /// `TypeError` the spec gives.
    static func channelParameters(label: String, _ options: RTCDataChannelInit) throws(RTCError) -> DataChannelParameters {
        if label.utf8.count > 65_535 { throw RTCError(.typeError, "The label is longer than 65,535 bytes.") }
        if options.protocol.utf8.count > 65_535 { throw RTCError(.typeError, "The protocol is longer than 65,535 bytes.") }
        if options.maxPacketLifeTime != nil && options.maxRetransmits != nil {
            throw RTCError(.typeError, "maxPacketLifeTime and maxRetransmits cannot both be set.")
        }
        if options.negotiated && options.id == nil { throw RTCError(.typeError, "A negotiated channel needs an id.") }
        if options.negotiated, let id = options.id, id < 0 || id > 65_534 { throw RTCError(.typeError, "The id must be 0…65534.") }
        // WebIDL [EnforceRange] unsigned short: out of range is a TypeError, not clamped.
        for (name, value) in [("maxPacketLifeTime", options.maxPacketLifeTime), ("maxRetransmits", options.maxRetransmits)] {
            if let value, value < 0 || value > 65_535 { throw RTCError(.typeError, "\(name) must be 0…65535.") }
        }
        let clamp: (Int?) -> UInt16? = { $0.map { UInt16(clamping: $0) } }
        var params = DataChannelParameters(label: label)
        params.protocol = options.protocol
        params.ordered = options.ordered
        params.maxPacketLifeTime = clamp(options.maxPacketLifeTime)
        params.maxRetransmits = clamp(options.maxRetransmits)
        params.priority = options.priority.dcepValue
        params.negotiated = options.negotiated
        // webrtc-pc §6.1: the id of an in-band channel is chosen by the stack (by DTLS role parity).
        params.id = options.negotiated ? options.id.map { UInt16($0) } : nil
        return params
    }

    /// Statistics: peer-connection, transport, candidate pair and candidates, certificate,
    /// data-channel and sctp-transport objects.
    public func getStats() async -> RTCStatsReport { await driver.statsSnapshot() }

    /// The selected candidate pair, as "local -> remote (type/type)", once connected.
    public var selectedCandidatePairDescription: String? {
        shared.read { s in
            s.selectedPair.map { "\($0.local.address) \($0.local.type.rawValue) -> \($0.remote.address) \($0.remote.type.rawValue)" }
        }
    }

    /// The DTLS transport of the connection.
    public var dtls: RTCDtlsTransport { dtlsTransport }
}
