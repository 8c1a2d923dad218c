import WebRTCCore
import WebRTCSTUN

/// A sans-IO full ICE agent (RFC 8445) for one data stream with one component, with trickle
/// (RFC 8838), consent freshness (RFC 7675) and a TURN client (RFC 8656) over UDP, TCP and TLS.
///
/// Drive it as every engine: feed `handleDatagram` and `handleTimeout`, then drain
/// `pollTransmit` and `pollEvent`, then re-arm a timer at `nextDeadline()`.
package final class ICEAgent {
    // MARK: Configuration and identity
    let configuration: ICEAgentConfiguration
    let random: RandomSource
    /// RFC 8445 §7.1.1 tie-breaker.
    let tieBreaker: UInt64
    package internal(set) var role: ICERole

    // MARK: Credentials and generations (an ICE restart starts a new generation)
    var generation = 0
    var credentials: ICECredentials
    /// The previous generation's credentials while its selected pair still carries data (RFC 8445 §9).
    var previous: (generation: Int, credentials: ICECredentials)?

    // MARK: Tables (arrays, iterated in insertion order so runs are reproducible)
    var sockets: [(id: Int, address: TransportAddress)] = []
    var locals: [ICELocalCandidate] = []
    var remotes: [ICERemoteCandidate] = []
    var pairs: [ICECandidatePair] = []
    var triggered: [Int] = []
    var transactions: [ICETransaction] = []
    var jobs: [ICEGatherJob] = []
    var allocations: [TURNAllocation] = []
    /// TCP/TLS connections to TURN servers, one per stream allocation.
    var streams: [ICEStream] = []
    var nextStreamID = ICEAgent.firstStreamID
    var nextID = 1
    /// `.local` names the remote signalled; they are reached through peer-reflexive candidates.
    var mdnsRemoteNames: [String] = []
    /// Signalled remote candidates of the current generation, for O(1) duplicate detection.
    var remoteKeys: Set<ICERemoteCandidateKey> = []
    /// Remote candidates (signalled and peer-reflexive) added in the current generation.
    var remotesInGeneration = 0
    /// Remote addresses that proved themselves: a check to them succeeded, or they sent an
    /// authenticated Binding request. Only these may deliver non-STUN payloads (DTLS, SRTP).
    /// Bounded: only addresses of remote candidates are kept (`pruneCheckedSources`).
    var checkedSources: Set<TransportAddress> = []

    // MARK: Outputs
    var transmits = FIFO<ICETransmit>()
    var events = FIFO<ICEEvent>()
    package internal(set) var drops = DropCounters()

    // MARK: Progress
    package internal(set) var connectionState: ICEConnectionState = .new
    package internal(set) var gatheringState: ICEGatheringState = .new
    var gatheringStarted = false
    var remoteEndOfCandidates = false
    var nextCheckAt: Instant?
    var lastCheckSentAt: Instant?
    var checkingStartedAt: Instant?
    var nominationInFlight: Int?
    var selectedID: Int?
    var lastSelectedReported: ICESelectedPair?
    /// Consent (RFC 7675).
    var lastConsentAt: Instant?
    var nextConsentAt: Instant?
    var pendingConsentSince: Instant?
    var lastReceivedOnSelected: Instant?
    /// Set once failed or closed: nothing more is sent.
    var stopped = false

    /// Creates an agent. `random` supplies the tie-breaker, transaction ids and consent jitter.
    package init(role: ICERole, localUfrag: String, localPassword: String, configuration: ICEAgentConfiguration, random: RandomSource) {
        self.role = role
        self.configuration = configuration
        self.random = random
        self.tieBreaker = random.next()
        self.credentials = ICECredentials(localUfrag: localUfrag, localPassword: localPassword)
    }

    func makeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    // MARK: - Outputs

    /// The next datagram to send, if any.
    package func pollTransmit() -> ICETransmit? { transmits.pop() }

    /// The next event, if any.
    package func pollEvent() -> ICEEvent? { events.pop() }

    /// The selected pair, once one is nominated.
    package var selectedPair: ICESelectedPair? {
        guard let id = selectedID, let p = pair(id) else { return nil }
        return describe(p)
    }

    /// Sizes of the internal tables, for tests that check an attacker cannot grow them.
    package var tableSizes: (locals: Int, remotes: Int, pairs: Int, transactions: Int, triggered: Int) {
        (locals.count, remotes.count, pairs.count, transactions.count, triggered.count)
    }

    /// TURN permissions and channel bindings held over every allocation, for tests that check
    /// they do not pile up across ICE restarts.
    package var turnTableSizes: (permissions: Int, channels: Int) {
        allocations.reduce((0, 0)) { ($0.0 + $1.permissions.count, $0.1 + $1.channels.count) }
    }

    /// The earliest instant at which `handleTimeout` has work.
    package func nextDeadline() -> Instant? {
        guard !stopped else { return nil }
        var d: Instant? = nextCheckAt
        for t in transactions { d = Instant.earliest(d, t.nextAt) }
        for j in jobs where !j.done { d = Instant.earliest(d, j.deadline) }
        for a in allocations where a.state == .allocated {
            if !a.refreshInFlight { d = Instant.earliest(d, a.refreshAt) }
            for p in a.permissions where !p.inFlight { d = Instant.earliest(d, p.refreshAt) }
            for c in a.channels where !c.inFlight { d = Instant.earliest(d, c.refreshAt) }
        }
        if selectedID != nil {
            d = Instant.earliest(d, nextConsentAt)
            if let last = lastConsentAt { d = Instant.earliest(d, last + configuration.consentTimeout) }
            if let p = pendingConsentSince, (lastReceivedOnSelected ?? .zero) < p,
               connectionState == .connected || connectionState == .completed {
                d = Instant.earliest(d, p + configuration.disconnectedTimeout)
            }
        } else if let start = checkingStartedAt {
            d = Instant.earliest(d, start + configuration.connectTimeout)
        }
        return d
    }

    // MARK: - Small lookups

    func pair(_ id: Int) -> ICECandidatePair? { pairs.first { $0.id == id } }
    func pairIndex(_ id: Int) -> Int? { pairs.firstIndex { $0.id == id } }
    func local(_ id: Int) -> ICELocalCandidate? { locals.first { $0.id == id } }
    func remote(_ id: Int) -> ICERemoteCandidate? { remotes.first { $0.id == id } }
    func allocationIndex(_ id: Int) -> Int? { allocations.firstIndex { $0.id == id } }

    /// Credentials of `generation` (current or the one before a restart).
    func credentials(for generation: Int) -> ICECredentials? {
        if generation == self.generation { return credentials }
        if let p = previous, p.generation == generation { return p.credentials }
        return nil
    }

    func describe(_ p: ICECandidatePair) -> ICESelectedPair? {
        guard let l = local(p.validLocal ?? p.local) ?? local(p.local), let r = remote(p.remote) else { return nil }
        return ICESelectedPair(local: l.candidate, remote: r.candidate, rtt: p.rtt)
    }

    func emit(_ e: ICEEvent) { events.push(e) }

    func setConnectionState(_ s: ICEConnectionState) {
        guard s != connectionState, connectionState != .closed else { return }
        connectionState = s
        emit(.connectionStateChanged(s))
    }

    /// `connected`, or `completed` for a controlling agent whose checks are over (W3C webrtc-pc §5.6).
    func healthyState() -> ICEConnectionState {
        let checksPending = transactions.contains { if case .check = $0.kind { return true } else { return false } }
        if role == .controlling, selectedID != nil, !checksPending, triggered.isEmpty, gatheringState == .complete,
           let sel = selectedID.flatMap(pair), sel.generation == generation {
            return .completed
        }
        return .connected
    }

    // MARK: - Sending

    /// Sends `bytes` out of `route` to `destination`, wrapping for TURN when relayed.
    func sendRaw(route: ICERoute, to destination: TransportAddress, bytes: [UInt8], now: Instant) {
        guard !stopped else { return }
        switch route {
        case .socket(let s):
            emitTransmit(socket: s, destination: destination, bytes: bytes)
        case .relay(let aid):
            guard let ai = allocationIndex(aid), allocations[ai].state == .allocated else { return }
            let a = allocations[ai]
            if let ch = a.boundChannel(for: destination) {
                // RFC 8656 §12.5: padded to a multiple of 4 over TCP and TLS.
                let frame = TURNChannelData(channel: ch, data: bytes).encode(pad: a.transport != .udp)
                emitTransmit(socket: a.socket, destination: a.server, bytes: frame)
            } else {
                ensurePermission(allocation: ai, peer: destination.ip, now: now)
                let send = STUNMessage(method: .send, cls: .indication, random: random,
                                       attributes: [.xorAddress(.xorPeerAddress, destination, transactionID: []), .data(bytes)])
                // XOR-PEER-ADDRESS depends on the transaction id: rebuild with the real one.
                var fixed = send
                fixed.attributes[0] = .xorAddress(.xorPeerAddress, destination, transactionID: send.transactionID)
                emitTransmit(socket: a.socket, destination: a.server, bytes: fixed.encode())
            }
        }
    }

    /// Starts a STUN request transaction and sends its first transmission.
    @discardableResult
    func startTransaction(_ kind: ICETransactionKind, route: ICERoute, destination: TransportAddress, message: STUNMessage,
                          integrityKey: [UInt8]?, responseKey: [UInt8]?, fingerprint: Bool,
                          rto: Duration, maxRTO: Duration, maxTransmissions: Int, now: Instant) -> [UInt8] {
        let bytes = message.encode(integrityKey: integrityKey, fingerprint: fingerprint)
        let tx = ICETransaction(id: message.transactionID, kind: kind, route: route, destination: destination, bytes: bytes,
                                responseKey: responseKey, sentAt: now, nextAt: now + rto, rto: rto, maxRTO: maxRTO,
                                transmissions: 1, maxTransmissions: maxTransmissions)
        transactions.append(tx)
        sendTransactionBytes(tx, now: now)
        return message.transactionID
    }

    func sendTransactionBytes(_ tx: ICETransaction, now: Instant) {
        switch tx.kind {
        case .gather, .turn:
            // Server transactions go straight to the server from the socket.
            if case .socket(let s) = tx.route { emitTransmit(socket: s, destination: tx.destination, bytes: tx.bytes) }
        case .check, .consent:
            sendRaw(route: tx.route, to: tx.destination, bytes: tx.bytes, now: now)
        }
    }

    /// Application data over the selected pair; before one is selected, over the best valid or the
    /// most recently active pair. False when there is none (or the agent failed/closed).
    package func send(_ bytes: [UInt8], now: Instant) -> Bool {
        guard !stopped else { return false }
        let chosen: ICECandidatePair?
        if let s = selectedID.flatMap(pair) {
            chosen = s
        } else if let v = pairs.filter({ $0.state == .succeeded }).max(by: { $0.priority < $1.priority }) {
            chosen = v
        } else {
            chosen = pairs.filter { $0.lastReceived != nil }.max { ($0.lastReceived ?? .zero) < ($1.lastReceived ?? .zero) }
        }
        guard let p = chosen, let l = local(p.local), let r = remote(p.remote) else { return false }
        if case .relay(let aid) = l.route, let ai = allocationIndex(aid) { ensureChannel(allocation: ai, peer: r.candidate.address, now: now) }
        sendRaw(route: l.route, to: r.candidate.address, bytes: bytes, now: now)
        return true
    }

    // MARK: - Lifecycle

    /// Stops the agent: `closed`, every timer cancelled, TURN allocations released (Refresh with
    /// LIFETIME 0, RFC 8656 §7.2). No event is emitted for `closed`. The driver should drain
    /// `pollTransmit` (the releases, TLS close_notify) and `pollEvent` (a `.closeStream` for every
    /// open stream) once more after calling this; a driver that skips that must close its streams.
    package func close() {
        guard connectionState != .closed else { return }
        if !stopped {
            for a in allocations where a.state == .allocated {
                if let key = a.key, let realm = a.realm, let nonce = a.nonce {
                    let m = STUNMessage(method: .refresh, cls: .request, random: random,
                                        attributes: [.lifetime(0), .username(a.username), .realm(bytes: realm), .nonce(bytes: nonce)])
                    emitTransmit(socket: a.socket, destination: a.server, bytes: m.encode(integrityKey: key, fingerprint: true))
                }
            }
        }
        for a in allocations where a.transport != .udp { releaseStream(forAllocation: a.id) }
        for i in allocations.indices { allocations[i].state = .closed }
        transactions = []
        triggered = []
        nextCheckAt = nil
        stopped = true
        connectionState = .closed
    }

    /// Enters `failed` (RFC 7675 §5.1: after consent is lost nothing more is sent).
    func fail() {
        guard !stopped else { return }
        setConnectionState(.failed)
        stopped = true
        transactions = []
        triggered = []
        nextCheckAt = nil
        // Datagrams may be dropped, but bytes already queued for a stream must still go out:
        // dropping part of a TCP/TLS byte stream would corrupt its framing (or TLS records).
        var streamBytes: [ICETransmit] = []
        while let t = transmits.pop() {
            if streamIndex(t.socket) != nil { streamBytes.append(t) }
        }
        transmits.removeAll()
        for t in streamBytes { transmits.push(t) }
    }
}
