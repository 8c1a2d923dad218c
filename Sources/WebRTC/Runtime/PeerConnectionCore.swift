import NIOCore
import Synchronization
import WebRTCCore
import WebRTCDTLS
import WebRTCICE
import WebRTCSCTP
import WebRTCSDP

/// The serial executor of one peer connection: an actor running on the SwiftNIO event loop that
/// owns the connection's UDP sockets. It drives the signaling, ICE-gathering, ICE-connection and
/// connection state machines, every engine, and the timers (DESIGN.md §3).
///
/// After every input (a datagram, a timer, an API call) `pump()` drains the engines in a fixed
/// order — ICE → DTLS → SCTP — sends every transmit, delivers every event, and re-arms one timer
/// at the earliest deadline. That is the whole run loop.
actor PeerConnectionCore {
    nonisolated let eventLoop: any EventLoop
    nonisolated var unownedExecutor: UnownedSerialExecutor { eventLoop.executor.asUnownedSerialExecutor() }

    let shared: PeerConnectionShared
    let random = RandomSource()
    var configuration: RTCConfiguration
    let certificates: [RTCCertificate]

    // Signaling.
    var signalingState: RTCSignalingState = .stable
    var isClosed = false
    var localParams: LocalTransportParameters
    var lastCreatedOffer: String?
    var lastCreatedAnswer: String?
    var currentLocal: (type: RTCSdpType, sections: [LocalMediaSection])?
    var pendingLocal: (type: RTCSdpType, sections: [LocalMediaSection])?
    var currentRemote: RTCSessionDescription?
    var pendingRemote: RTCSessionDescription?
    var currentRemoteModel: SessionDescription?
    var pendingRemoteModel: SessionDescription?
    var remoteFingerprints: [SDPFingerprint] = []
    var negotiationNeeded = false
    var pendingIceRestart = false
    var iceRestartRequested = false
    var negotiatedDataMid: String?
    var wantsDataSection = false

    // Transports.
    var ice: ICEAgent?
    var sockets: [Int: UDPSocket] = [:]
    /// TCP (and TLS) connections to TURN servers, by the ICE agent's stream id (≥ 10,000).
    var streams: [Int: TCPStream] = [:]
    var addresses = AddressCache()
    var gatheredCandidates: [String] = []
    var gatheringStarted = false
    var pendingRemoteCandidates: [RTCIceCandidateInit] = []
    var dtls: DTLSEngine?
    var dtlsRole: DTLSRole?
    var earlyDTLS: [[UInt8]] = []
    var dtlsState: RTCDtlsTransportState = .new
    var sctp: SCTPAssociation?
    var sctpStarted = false
    var remoteMaxMessageSize: UInt64 = 65_536
    var iceConnectionState: RTCIceConnectionState = .new
    var iceGatheringState: RTCIceGatheringState = .new
    var connectionState: RTCPeerConnectionState = .new

    // Data channels.
    var channels: [UInt16: RTCDataChannel] = [:]
    var pendingChannels: [RTCDataChannel] = []
    /// Channels whose engine-side buffered amount may be non-zero; refreshed after each pump.
    var buffering = Set<UInt16>()
    /// Channels whose `send` ran on this loop during a pump: flushed by that pump.
    var channelsToFlush: [RTCDataChannel] = []
    var isPumping = false

    // Timer.
    var timer: Scheduled<Void>?
    var timerDeadline: Instant?
    var drops = DropCounters()

    // Stats.
    var bytesSent = 0
    var bytesReceived = 0
    var packetsSent = 0
    var packetsReceived = 0
    var dataChannelsOpened = 0
    var dataChannelsClosed = 0

    /// Connections alive in the process (leak checks in tests).
    static let liveCount = Atomic<Int>(0)

    init(configuration: RTCConfiguration, certificates: [RTCCertificate], shared: PeerConnectionShared, eventLoop: any EventLoop) {
        Self.liveCount.add(1, ordering: .relaxed)
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.certificates = certificates
        self.shared = shared
        let r = RandomSource()
        localParams = LocalTransportParameters(
            iceUfrag: r.iceString(8), icePwd: r.iceString(24),
            fingerprints: certificates.map { ("sha-256", $0.sha256Fingerprint) },
            sessionID: r.next() >> 2, sessionVersion: 1,
            maxMessageSize: configuration.maxMessageSize)
    }

    deinit { Self.liveCount.subtract(1, ordering: .relaxed) }

    // MARK: - Run loop

    /// Drains every engine until none has anything left, then re-arms the timer.
    func pump() {
        guard !isClosed, !isPumping else { return }
        isPumping = true
        defer { isPumping = false }
        let now = MonotonicClock.now()
        var progressed = true
        var rounds = 0
        while progressed && rounds < 10_000 {
            progressed = false
            rounds += 1
            if !channelsToFlush.isEmpty {
                let flushing = channelsToFlush
                channelsToFlush.removeAll()
                for ch in flushing { moveOutboxToSCTP(ch) }
            }
            if let ice {
                while let t = ice.pollTransmit() { transmit(t) }
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
                    SCTPTrace.record(p, inbound: false)
                    do { try dtls.send(p) } catch { drops.drop("sctp.dtlsSendFailed") }
                    progressed = true
                }
            }
            if let sctp {
                while let e = sctp.pollEvent() { handleSCTP(e); progressed = true }
            }
        }
        for s in sockets.values { s.flush() }
        for s in streams.values { s.flush() }
        publishBufferedAmounts()
        armTimer()
    }

    private func publishBufferedAmounts() {
        guard let sctp, !buffering.isEmpty else { return }
        for id in buffering {
            let amount = sctp.bufferedAmount(of: id)
            channels[id]?.publishBuffered(amount, lowEvent: false)
            if amount == 0 { buffering.remove(id) }
        }
    }

    private func transmit(_ t: ICETransmit) {
        if let stream = streams[t.socket] {
            bytesSent += t.bytes.count
            stream.write(t.bytes)
            return
        }
        guard let socket = sockets[t.socket], let address = addresses.socket(t.destination) else {
            drops.drop("udp.noSocket")
            return
        }
        bytesSent += t.bytes.count
        packetsSent += 1
        socket.write(t.bytes, to: address)
    }

    private func armTimer() {
        var deadline = ice?.nextDeadline()
        deadline = Instant.earliest(deadline, dtls?.nextDeadline())
        deadline = Instant.earliest(deadline, sctp?.nextDeadline())
        guard let deadline else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if let current = timerDeadline, current <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        let delay = max(0, (deadline - MonotonicClock.now()).nanoseconds)
        timer = eventLoop.scheduleTask(in: .nanoseconds(delay)) { [self] in
            self.assumeIsolated { $0.fireTimer() }
        }
    }

    private func fireTimer() {
        timer = nil
        timerDeadline = nil
        let now = MonotonicClock.now()
        if let d = ice?.nextDeadline(), d <= now { ice?.handleTimeout(now: now) }
        if let d = dtls?.nextDeadline(), d <= now { dtls?.handleTimeout(now: now) }
        if let d = sctp?.nextDeadline(), d <= now { sctp?.handleTimeout(now: now) }
        pump()
    }

    /// A datagram read on one of our sockets (entered from the channel handler on this loop). The
    /// engines' output is drained by `pump()` at the end of the read burst.
    func receive(socket: Int, buffer: ByteBuffer, from address: SocketAddress) {
        guard !isClosed, let ice, let source = addresses.transport(address) else { return }
        let bytes = Array(buffer.readableBytesView)
        bytesReceived += bytes.count
        packetsReceived += 1
        let now = MonotonicClock.now()
        if let payload = ice.handleDatagram(bytes, from: source, socket: socket, now: now) {
            deliverApplication(payload, now: now)
        }
    }

    /// Opens the TCP connection the ICE agent asked for (TURN over TCP or TLS).
    private func openStream(_ id: Int, to: TransportAddress) {
        guard let address = addresses.socket(to) else {
            ice?.streamClosed(socket: id, now: MonotonicClock.now())
            return
        }
        let stream = TCPStream(id: id)
        streams[id] = stream
        stream.connect(to: address, on: eventLoop, onConnected: { [weak self] local in
            self?.assumeIsolated { core in
                guard let ice = core.ice, core.streams[id] != nil else { return }
                let now = MonotonicClock.now()
                if let local { ice.streamConnected(socket: id, localAddress: local, now: now) } else { ice.streamClosed(socket: id, now: now) }
                core.pump()
            }
        }, onBytes: { [weak self] buffer in
            self?.assumeIsolated { core in
                guard let ice = core.ice, core.streams[id] != nil else { return }
                let now = MonotonicClock.now()
                core.bytesReceived += buffer.readableBytes
                for (payload, _) in ice.handleStreamBytes(Array(buffer.readableBytesView), socket: id, now: now) {
                    core.deliverApplication(payload, now: now)
                }
                core.pump()
            }
        }, onClosed: { [weak self] in
            self?.assumeIsolated { core in
                guard core.streams.removeValue(forKey: id) != nil, let ice = core.ice else { return }
                ice.streamClosed(socket: id, now: MonotonicClock.now())
                core.pump()
            }
        })
    }

    /// Routes a non-STUN payload by its first byte (RFC 7983 §7).
    func deliverApplication(_ payload: [UInt8], now: Instant) {
        switch PacketClass(payload) {
        case .dtls:
            if let dtls {
                dtls.handleDatagram(payload, now: now)
            } else if earlyDTLS.count < 16 {
                // The remote's first flight can beat its answer through signaling: keep it
                // (bounded) instead of waiting for a retransmission.
                earlyDTLS.append(payload)
            } else {
                drops.drop("dtls.earlyOverflow")
            }
        case .rtpOrRtcp:
            drops.drop("rtp.noMedia")
        default:
            drops.drop("demux.unknown")
        }
    }

    // MARK: - ICE

    private func handleICE(_ e: ICEEvent, now: Instant) {
        switch e {
        case .localCandidate(let c):
            let attr = CandidateMapping.attribute(from: c, ufrag: localParams.iceUfrag)
            gatheredCandidates.append(attr)
            publishLocalDescription()
            let mid = (pendingLocal ?? currentLocal)?.sections.first?.mid ?? "0"
            if let candidate = try? RTCIceCandidate(RTCIceCandidateInit(candidate: attr, sdpMid: mid, sdpMLineIndex: 0, usernameFragment: localParams.iceUfrag)) {
                shared.events.iceCandidate.emit(candidate)
            }
        case .gatheringStateChanged(let s):
            let mapped: RTCIceGatheringState = switch s { case .new: .new; case .gathering: .gathering; case .complete: .complete }
            guard mapped != iceGatheringState else { return }
            iceGatheringState = mapped
            if mapped == .complete { publishLocalDescription() }
            shared.update { $0.iceGatheringState = mapped }
            shared.events.iceGatheringStateChange.emit(mapped)
            if mapped == .complete { shared.events.iceCandidate.emit(nil) }
        case .candidateError(let url, let address, let port, let code, let text):
            shared.events.iceCandidateError.emit(RTCPeerConnectionIceErrorEvent(address: address, port: port.map(Int.init), url: url, errorCode: code, errorText: text))
        case .connectionStateChanged(let s):
            let mapped: RTCIceConnectionState = switch s {
            case .new: .new; case .checking: .checking; case .connected: .connected; case .completed: .completed
            case .disconnected: .disconnected; case .failed: .failed; case .closed: .closed
            }
            guard mapped != iceConnectionState else { return }
            iceConnectionState = mapped
            shared.update { $0.iceConnectionState = mapped }
            shared.events.iceConnectionStateChange.emit(mapped)
            if mapped == .connected || mapped == .completed { startDTLSIfReady(now: now) }
            updateConnectionState()
        case .selectedPairChanged(let pair):
            shared.update { $0.selectedPair = pair }
            startDTLSIfReady(now: now)
        case .openStream(let socket, let to):
            openStream(socket, to: to)
        case .closeStream(let socket):
            streams.removeValue(forKey: socket)?.close()
        }
    }

    // MARK: - DTLS

    /// Creates the DTLS engine once the role and the remote fingerprints are known.
    func createDTLSIfNeeded(role: DTLSRole, now: Instant) {
        guard dtls == nil, let cert = certificates.first else { return }
        let fingerprints = remoteFingerprints.map { DTLSFingerprint(algorithm: $0.algorithm, value: $0.value) }
        do {
            let engine = try DTLSEngine(role: role, certificate: cert.dtls, remoteFingerprints: fingerprints)
            dtls = engine
            dtlsRole = role
            shared.update { $0.dtlsRole = role == .client ? .client : .server }
            for d in earlyDTLS { engine.handleDatagram(d, now: now) }
            earlyDTLS.removeAll()
            startDTLSIfReady(now: now)
        } catch {
            setDTLSState(.failed, error: RTCError(.operationError, "DTLS set-up failed: \(error)", detail: .dtlsFailure))
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
            let cipher = dtls?.cipherName
            let certificate = dtls?.remoteCertificateDER
            shared.update {
                $0.dtlsCipher = cipher
                $0.remoteCertificates = certificate.map { [$0] } ?? []
            }
            setDTLSState(.connected, error: nil)
            startSCTPIfReady(now: now)
        case .applicationData(let bytes):
            SCTPTrace.record(bytes, inbound: true)
            sctp?.handlePacket(bytes, now: now)
        case .alertSent, .alertReceived:
            break
        case .failed(let error):
            let rtc: RTCError
            switch error {
            case .fingerprintMismatch:
                rtc = RTCError(.operationError, "The remote DTLS certificate does not match any a=fingerprint.", detail: .fingerprintFailure)
            case .handshakeTimeout:
                rtc = RTCError(.operationError, "The DTLS handshake timed out.", detail: .dtlsFailure)
            case .alertReceived(let a):
                rtc = RTCError(.operationError, "DTLS alert \(a) received.", detail: .dtlsFailure, receivedAlert: Int(a))
            default:
                rtc = RTCError(.operationError, "DTLS failed: \(error)", detail: .dtlsFailure)
            }
            setDTLSState(.failed, error: rtc)
            failDataPath(rtc)
        case .closed:
            setDTLSState(.closed, error: nil)
            failDataPath(nil)
        }
    }

    private func setDTLSState(_ s: RTCDtlsTransportState, error: RTCError?) {
        guard s != dtlsState else { return }
        dtlsState = s
        shared.update { $0.dtlsState = s }
        shared.dtlsTransport.stateChange.emit(s)
        if let error { shared.dtlsTransport.error.emit(error) }
        updateConnectionState()
    }

    /// webrtc-pc §4.4.3 "update the connection state".
    func updateConnectionState() {
        let next: RTCPeerConnectionState
        if isClosed { next = .closed }
        else if iceConnectionState == .failed || dtlsState == .failed { next = .failed }
        else if iceConnectionState == .disconnected { next = .disconnected }
        else if (iceConnectionState == .new || iceConnectionState == .closed) && (dtlsState == .new || dtlsState == .closed) { next = .new }
        // "connected": every transport connected, completed or closed (a remote close_notify
        // closes DTLS while ICE stays up).
        else if (iceConnectionState == .connected || iceConnectionState == .completed)
                    && (dtlsState == .connected || dtlsState == .closed) { next = .connected }
        else { next = .connecting }
        guard next != connectionState else { return }
        connectionState = next
        shared.update { $0.connectionState = next }
        shared.events.connectionStateChange.emit(next)
    }
}
