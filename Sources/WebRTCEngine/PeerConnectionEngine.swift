import WebRTCCore
import WebRTCDTLS
import WebRTCICE
import WebRTCSCTP
import WebRTCSDP

/// One peer connection below the sans-IO line: JSEP over the SDP model, the ICE → DTLS → SCTP
/// chain, RFC 7983 demultiplexing, the W3C state machines and the data-channel registry.
///
/// Inputs are API commands, `handleDatagram`, the stream callbacks and `handleTimeout`, each
/// with the current `Instant`. Outputs are `pollTransmit()` (datagrams and stream bytes),
/// `pollEvent()` and `nextDeadline()`. It reads no clock, starts no task, takes no lock and
/// does no I/O, so whole connections run in virtual time. Not thread-safe: one driver (one
/// serial executor) owns it.
package final class PeerConnectionEngine {
    package let configuration: EngineConfiguration
    let random: RandomSource

    // Signaling (JSEP).
    package internal(set) var signalingState: SignalingState = .stable
    package internal(set) var isClosed = false
    var localParams: LocalTransportParameters
    var lastCreatedOffer: CreatedDescription?
    var lastCreatedAnswer: CreatedDescription?
    package internal(set) var currentLocal: AppliedDescription?
    package internal(set) var pendingLocal: AppliedDescription?
    package internal(set) var currentRemote: AppliedDescription?
    package internal(set) var pendingRemote: AppliedDescription?
    var remoteFingerprints: [SDPFingerprint] = []
    var negotiationNeeded = false
    var pendingIceRestart = false
    var iceRestartRequested = false
    var negotiatedDataMid: String?
    var wantsDataSection = false
    /// Remote candidate lines added to the remote description (bounded: RFC 8839 lines beyond it
    /// still reach ICE but no longer grow the description).
    var remoteCandidateLines = 0
    static let maxRemoteCandidateLines = 1_000

    // Transports.
    var ice: ICEAgent?
    var iceServers: [ICEServer]
    var relayOnlyOverride: Bool?
    /// The remote ufrag of the last applied remote description (an offer changing it restarts ICE).
    var previousRemoteUfrag: String?
    var gatheredCandidates: [CandidateAttribute] = []
    var gatheringRequested = false
    var dtls: DTLSEngine?
    package internal(set) var dtlsRole: DTLSRole?
    /// The remote's first DTLS flight can beat its answer through signaling: kept (bounded).
    var earlyDTLS: [[UInt8]] = []
    /// Where the last DTLS record came from (credited to ICE liveness once DTLS authenticates it).
    var lastDTLSSource: TransportAddress?
    static let earlyDTLSLimit = 16
    package internal(set) var dtlsState: DtlsState = .new
    var sctp: SCTPAssociation?
    var sctpStarted = false
    var remoteMaxMessageSize: UInt64 = 65_536
    package internal(set) var iceConnectionState: IceConnectionState = .new
    package internal(set) var iceGatheringState: GatheringState = .new
    package internal(set) var connectionState: ConnectionState = .new

    // Data channels.
    var channels = ChannelRegistry()

    // Output.
    var transmits = FIFO<ICETransmit>()
    var events = FIFO<EngineEvent>()
    package internal(set) var drops = DropCounters()

    // Stats.
    package internal(set) var counters = EngineCounters()

    package init(configuration: EngineConfiguration, random: RandomSource = RandomSource()) {
        self.configuration = configuration
        self.random = random
        self.iceServers = configuration.ice.servers
        localParams = LocalTransportParameters(
            iceUfrag: random.iceString(8), icePwd: random.iceString(24),
            fingerprints: configuration.certificates.compactMap { $0.fingerprint(algorithm: "sha-256").flatMap { SDPFingerprint("sha-256 " + $0) } },
            sessionID: random.next() >> 2, sessionVersion: 1,
            maxMessageSize: configuration.maxMessageSize)
    }

    // MARK: - Output

    /// The next datagram (or stream write, for stream socket ids) to send.
    package func pollTransmit() -> ICETransmit? { transmits.pop() }

    /// The next event for the driver.
    package func pollEvent() -> EngineEvent? { events.pop() }

    /// Whether transmits or events are waiting.
    package var hasOutput: Bool { !transmits.isEmpty || !events.isEmpty }

    /// When `handleTimeout` must run next; nil when nothing is scheduled.
    package func nextDeadline() -> Instant? {
        guard !isClosed else { return nil }
        var deadline = ice?.nextDeadline()
        deadline = Instant.earliest(deadline, dtls?.nextDeadline())
        return Instant.earliest(deadline, sctp?.nextDeadline())
    }

    // MARK: - Input

    /// A datagram read on host socket `socket` from `source`.
    package func handleDatagram(_ bytes: [UInt8], socket: Int, from source: TransportAddress, now: Instant) {
        guard !isClosed, let ice else { drops.drop(EngineDrop.noTransport); return }
        counters.bytesReceived += bytes.count
        counters.packetsReceived += 1
        if let payload = ice.handleDatagram(bytes, from: source, socket: socket, now: now) {
            deliverApplication(payload, from: source, now: now)
        }
        drive(now: now)
    }

    /// The driver bound the host sockets asked for by `.bindHostSockets`; gathering starts.
    package func addHostSockets(_ sockets: [(id: Int, address: TransportAddress)], now: Instant) {
        guard !isClosed, let ice else { return }
        for s in sockets { ice.addHostSocket(id: s.id, address: s.address, now: now) }
        ice.startGathering(now: now)
        drive(now: now)
    }

    /// A TCP/TLS stream to a TURN server connected (`localAddress`) or failed (nil).
    package func streamConnected(socket: Int, localAddress: TransportAddress?, now: Instant) {
        guard !isClosed, let ice else { return }
        if let localAddress { ice.streamConnected(socket: socket, localAddress: localAddress, now: now) } else { ice.streamClosed(socket: socket, now: now) }
        drive(now: now)
    }

    /// Bytes read from a stream.
    package func handleStreamBytes(_ bytes: [UInt8], socket: Int, now: Instant) {
        guard !isClosed, let ice else { return }
        counters.bytesReceived += bytes.count
        for (payload, from) in ice.handleStreamBytes(bytes, socket: socket, now: now) {
            deliverApplication(payload, from: from, now: now)
        }
        drive(now: now)
    }

    /// A stream closed.
    package func streamClosed(socket: Int, now: Instant) {
        guard !isClosed, let ice else { return }
        ice.streamClosed(socket: socket, now: now)
        drive(now: now)
    }

    /// Runs every engine whose deadline has passed.
    package func handleTimeout(now: Instant) {
        guard !isClosed else { return }
        if let d = ice?.nextDeadline(), d <= now { ice?.handleTimeout(now: now) }
        if let d = dtls?.nextDeadline(), d <= now { dtls?.handleTimeout(now: now) }
        if let d = sctp?.nextDeadline(), d <= now { sctp?.handleTimeout(now: now) }
        drive(now: now)
    }

    // MARK: - The chain

    /// Routes a non-STUN payload by its first byte (RFC 7983 §7), once.
    func deliverApplication(_ payload: [UInt8], from source: TransportAddress, now: Instant) {
        switch PacketClass(payload) {
        case .dtls:
            if let dtls {
                lastDTLSSource = source
                dtls.handleDatagram(payload, now: now)
            } else if earlyDTLS.count < Self.earlyDTLSLimit {
                earlyDTLS.append(payload)
            } else {
                drops.drop(EngineDrop.earlyDTLSOverflow)
            }
        case .rtpOrRtcp:
            // The SRTP slot: media is not negotiated yet.
            drops.drop(EngineDrop.noMedia)
        default:
            drops.drop(EngineDrop.unknownClass)
        }
    }

    /// Drains every engine until none has anything left: ICE → DTLS → SCTP, in that order.
    func drive(now: Instant) {
        guard !isClosed else { return }
        var progressed = true
        var rounds = 0
        while progressed && rounds < 10_000 {
            progressed = false
            rounds += 1
            if let ice {
                while let t = ice.pollTransmit() { queueTransmit(t) }
                while let e = ice.pollEvent() { handleICE(e, now: now); progressed = true }
            }
            if let dtls {
                while let d = dtls.pollTransmit() {
                    if ice?.send(d, now: now) == true { progressed = true }
                }
                while let e = dtls.pollEvent() { handleDTLS(e, now: now); progressed = true }
            }
            if let sctp, let dtls, dtls.state == .connected {
                while let p = sctp.pollTransmit() {
                    do { try dtls.send(p) } catch { drops.drop(EngineDrop.dtlsSendFailed) }
                    progressed = true
                }
            }
            if let sctp {
                while let e = sctp.pollEvent() { handleSCTP(e); progressed = true }
            }
        }
    }

    func queueTransmit(_ t: ICETransmit) {
        counters.bytesSent += t.bytes.count
        counters.packetsSent += 1
        transmits.push(t)
    }

    func emit(_ e: EngineEvent) { events.push(e) }

    // MARK: - ICE

    private func handleICE(_ e: ICEEvent, now: Instant) {
        switch e {
        case .localCandidate(let c):
            let attr = CandidateMapping.attribute(from: c, ufrag: localParams.iceUfrag)
            gatheredCandidates.append(attr)
            let owner = appendToLocalDescriptions(.candidate(attr))
            emit(.iceCandidate(LocalCandidateEvent(candidate: attr.description, sdpMid: owner?.mid, sdpMLineIndex: owner?.index,
                                                   usernameFragment: localParams.iceUfrag)))
        case .gatheringStateChanged(let s):
            let mapped: GatheringState = switch s { case .new: .new; case .gathering: .gathering; case .complete: .complete }
            guard mapped != iceGatheringState else { return }
            iceGatheringState = mapped
            var owner: (mid: String, index: Int)?
            if mapped == .complete { owner = appendToLocalDescriptions(.endOfCandidates) }
            emit(.iceGatheringStateChanged(mapped))
            if mapped == .complete {
                // RFC 8840 §4.4 / webrtc-pc §4.4.1.3: "" ends this generation, null ends gathering.
                emit(.iceCandidate(LocalCandidateEvent(candidate: "", sdpMid: owner?.mid, sdpMLineIndex: owner?.index,
                                                       usernameFragment: localParams.iceUfrag)))
                emit(.iceCandidate(nil))
            }
        case .candidateError(let url, let address, let port, let code, let text):
            emit(.iceCandidateError(url: url, address: address, port: port, errorCode: code, errorText: text))
        case .connectionStateChanged(let s):
            let mapped: IceConnectionState = switch s {
            case .new: .new; case .checking: .checking; case .connected: .connected; case .completed: .completed
            case .disconnected: .disconnected; case .failed: .failed; case .closed: .closed
            }
            guard mapped != iceConnectionState else { return }
            iceConnectionState = mapped
            emit(.iceConnectionStateChanged(mapped))
            if mapped == .connected || mapped == .completed { startDTLSIfReady(now: now) }
            updateConnectionState()
        case .selectedPairChanged(let pair):
            emit(.selectedPairChanged(pair))
            startDTLSIfReady(now: now)
        case .openStream(let socket, let to):
            emit(.openStream(socket: socket, to: to))
        case .closeStream(let socket):
            emit(.closeStream(socket: socket))
        }
    }

    // MARK: - DTLS

    /// Creates the DTLS engine once the role and the remote fingerprints are known.
    func createDTLSIfNeeded(role: DTLSRole, now: Instant) {
        guard dtls == nil, let cert = configuration.certificates.first else { return }
        let fingerprints = remoteFingerprints.map { DTLSFingerprint(algorithm: $0.algorithm, value: $0.value) }
        do {
            let engine = try DTLSEngine(role: role, certificate: cert, remoteFingerprints: fingerprints)
            dtls = engine
            dtlsRole = role
            emit(.dtlsRoleKnown(role))
            for d in earlyDTLS { engine.handleDatagram(d, now: now) }
            earlyDTLS.removeAll()
            startDTLSIfReady(now: now)
        } catch {
            setDTLSState(.failed, error: EngineError(.operationError, "DTLS set-up failed: \(error)", detail: .dtlsFailure))
        }
    }

    /// Starts the handshake as soon as ICE has a usable pair (no waiting on timers).
    private func startDTLSIfReady(now: Instant) {
        guard let dtls, dtlsState == .new, iceConnectionState == .connected || iceConnectionState == .completed else { return }
        setDTLSState(.connecting, error: nil)
        dtls.start(now: now)
    }

    private func handleDTLS(_ e: DTLSEvent, now: Instant) {
        switch e {
        case .connected:
            emit(.dtlsConnected(cipher: dtls?.cipherName, remoteCertificate: dtls?.remoteCertificateDER))
            setDTLSState(.connected, error: nil)
            startSCTPIfReady(now: now)
        case .applicationData(let bytes):
            // A record DTLS authenticated: the only traffic that proves the path is alive
            // besides consent responses (junk from the address must not).
            if let source = lastDTLSSource { ice?.noteAuthenticatedActivity(from: source, now: now) }
            sctp?.handlePacket(bytes, now: now)
        case .alertSent, .alertReceived:
            break
        case .failed(let error):
            let rtc: EngineError
            switch error {
            case .fingerprintMismatch:
                rtc = EngineError(.operationError, "The remote DTLS certificate does not match any a=fingerprint.", detail: .fingerprintFailure)
            case .handshakeTimeout:
                rtc = EngineError(.operationError, "The DTLS handshake timed out.", detail: .dtlsFailure)
            case .alertReceived(let a):
                rtc = EngineError(.operationError, "DTLS alert \(a) received.", detail: .dtlsFailure, receivedAlert: Int(a))
            default:
                rtc = EngineError(.operationError, "DTLS failed: \(error)", detail: .dtlsFailure)
            }
            setDTLSState(.failed, error: rtc)
            tearDownSCTP()
            failDataPath(rtc)
        case .closed:
            setDTLSState(.closed, error: nil)
            tearDownSCTP()
            failDataPath(nil)
        }
    }

    /// SCTP cannot outlive its DTLS session: deregister it (and its timer) at once.
    private func tearDownSCTP() {
        guard let sctp else { return }
        sctp.teardown()
        self.sctp = nil
        emit(.sctpStateChanged(.closed))
    }

    private func setDTLSState(_ s: DtlsState, error: EngineError?) {
        guard s != dtlsState else { return }
        dtlsState = s
        emit(.dtlsStateChanged(s))
        if let error { emit(.dtlsError(error)) }
        updateConnectionState()
    }

    /// webrtc-pc §4.4.3 "update the connection state".
    func updateConnectionState() {
        let next = ConnectionStateRule.aggregate(closed: isClosed, ice: iceConnectionState, dtls: dtlsState)
        guard next != connectionState else { return }
        connectionState = next
        emit(.connectionStateChanged(next))
    }
}

/// Drop reasons of the connection engine.
package enum EngineDrop {
    package static let noTransport = "engine.noTransport"
    package static let earlyDTLSOverflow = "dtls.earlyOverflow"
    package static let noMedia = "rtp.noMedia"
    package static let unknownClass = "demux.unknown"
    package static let dtlsSendFailed = "sctp.dtlsSendFailed"
    package static let remoteCandidateLinesFull = "sdp.remoteCandidateLinesFull"
    package static let messageForUnknownChannel = "sctp.messageForUnknownChannel"
}

/// Transport-level counters for stats.
package struct EngineCounters: Sendable {
    package var bytesSent = 0
    package var bytesReceived = 0
    package var packetsSent = 0
    package var packetsReceived = 0
    package var dataChannelsOpened = 0
    package var dataChannelsClosed = 0
}
