import WebRTCCore
import WebRTCDTLS
import WebRTCEngine
import WebRTCICE
import WebRTCSCTP
import WebRTCTestSupport

/// One side of an `EnginePair`: an engine, its one host address, and what it reported.
final class EngineEndpoint {
    let name: String
    let engine: PeerConnectionEngine
    let address: TransportAddress
    var connectionState: ConnectionState = .new
    var iceState: IceConnectionState = .new
    var dtlsState: DtlsState = .new
    var signaling: SignalingState = .stable
    var candidates: [LocalCandidateEvent?] = []
    var openChannels = Set<Int>()
    var closedChannels = Set<Int>()
    var remoteChannels: [Int: DataChannelParameters] = [:]
    var received: [Int: [DataChannelMessage]] = [:]
    var receivedBytes: [Int: Int] = [:]
    var errors: [EngineError] = []
    var negotiationNeeded = 0
    /// Whether the application reads what arrives (else it piles up as `unread`).
    var consumesMessages = true
    var unread = 0
    /// When the connection first became `connected`, `disconnected`, `failed`.
    var firstReached: [ConnectionState: Instant] = [:]

    init(name: String, address: TransportAddress, seed: UInt64, ice: ICEAgentConfiguration) throws {
        self.name = name
        self.address = address
        var config = EngineConfiguration(certificates: [try DTLSCertificate.generate()], ice: ice)
        config.maxMessageSize = 262_144
        engine = PeerConnectionEngine(configuration: config, random: RandomSource(seed: seed))
    }

    func bytes(on handle: Int) -> [UInt8] {
        (received[handle] ?? []).flatMap { m -> [UInt8] in
            switch m {
            case .binary(let b): return b
            case .text(let s): return Array(s.utf8)
            }
        }
    }
}

/// Two connection engines over a seeded `SimulatedNetwork`, in virtual time: offer/answer and
/// trickled candidates through an in-memory signaling channel, datagrams through the network,
/// timers from the engines' deadlines. No sockets, no sleeps; the transcript of events is the
/// same for the same seed.
final class EnginePair {
    let network: SimulatedNetwork
    let clock: VirtualClock
    let offerer: EngineEndpoint
    let answerer: EngineEndpoint
    /// Delay of the signaling channel.
    var signalingDelay: Duration = .milliseconds(20)
    /// Every event with its virtual time, both sides ("t=… name: event").
    private(set) var transcript: [String] = []
    private var signaling: [(at: Instant, to: EngineEndpoint, deliver: () -> Void)] = []
    private let start: Instant
    private var stalledSteps = 0

    init(seed: UInt64, link: LinkConditions = LinkConditions(), ice: ICEAgentConfiguration = ICEAgentConfiguration()) throws {
        network = SimulatedNetwork(seed: seed)
        network.defaultLink = link
        // usrsctp's timer clock is process-wide and never goes back: start past it.
        start = Instant(nanoseconds: max(MonotonicClock.now().nanoseconds, (SCTPStack.latestTick ?? .zero).nanoseconds) + 1_000_000_000)
        clock = VirtualClock(start: start)
        offerer = try EngineEndpoint(name: "A", address: TransportAddress(ip: IPAddress("10.0.0.1")!, port: 5000), seed: seed &+ 1, ice: ice)
        answerer = try EngineEndpoint(name: "B", address: TransportAddress(ip: IPAddress("10.0.0.2")!, port: 5000), seed: seed &+ 2, ice: ice)
    }

    var now: Instant { clock.now }
    var elapsed: Duration { clock.now - start }

    func peer(of e: EngineEndpoint) -> EngineEndpoint { e === offerer ? answerer : offerer }

    /// Offer from A (which must already want a data channel), answer from B, through signaling.
    func negotiate() throws {
        let offer = try offerer.engine.createOffer(iceRestart: false)
        try offerer.engine.setLocalDescription(type: .offer, sdp: offer, now: now)
        flushAll()
        send(to: answerer) { [self] in
            try? answerer.engine.setRemoteDescription(type: .offer, sdp: offer, now: now)
            let answer = (try? answerer.engine.createAnswer()) ?? ""
            try? answerer.engine.setLocalDescription(type: .answer, sdp: answer, now: now)
            send(to: offerer) { [self] in try? offerer.engine.setRemoteDescription(type: .answer, sdp: answer, now: now) }
        }
    }

    /// Restarts ICE from A: a new offer with fresh credentials, answered by B.
    func restartICE() throws {
        offerer.engine.restartIce()
        let offer = try offerer.engine.createOffer(iceRestart: true)
        try offerer.engine.setLocalDescription(type: .offer, sdp: offer, now: now)
        send(to: answerer) { [self] in
            try? answerer.engine.setRemoteDescription(type: .offer, sdp: offer, now: now)
            let answer = (try? answerer.engine.createAnswer()) ?? ""
            try? answerer.engine.setLocalDescription(type: .answer, sdp: answer, now: now)
            send(to: offerer) { [self] in try? offerer.engine.setRemoteDescription(type: .answer, sdp: answer, now: now) }
        }
    }

    private func send(to: EngineEndpoint, _ deliver: @escaping () -> Void) {
        signaling.append((now + signalingDelay, to, deliver))
    }

    // MARK: the loop

    /// Sends every transmit and handles every event of both engines, until both are quiet.
    func flushAll() {
        // Buffered amounts once per flush, as the driver does (each call reports every busy channel).
        for e in [offerer, answerer] { e.engine.publishBufferedAmounts() }
        var again = true
        while again {
            again = false
            for e in [offerer, answerer] {
                while let t = e.engine.pollTransmit() {
                    network.send(from: TransportAddress(ip: e.address.ip, port: e.address.port), to: t.destination, bytes: t.bytes, now: now)
                }
                while let ev = e.engine.pollEvent() { handle(ev, on: e); again = true }
                if e.engine.hasOutput { again = true }
            }
        }
    }

    /// Called for every event after the pair recorded it (tests inject faults from here).
    var onEvent: ((EngineEndpoint, EngineEvent) -> Void)?

    private func handle(_ ev: EngineEvent, on e: EngineEndpoint) {
        defer { onEvent?(e, ev) }
        let ms = (now - start).nanoseconds / 1_000_000
        switch ev {
        case .bindHostSockets:
            e.engine.addHostSockets([(id: 1, address: e.address)], now: now)
        case .iceCandidate(let c):
            e.candidates.append(c)
            let other = peer(of: e)
            if let c, !c.candidate.isEmpty {
                send(to: other) { [self] in
                    try? other.engine.addIceCandidate(c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment, now: now)
                }
            }
        case .connectionStateChanged(let s):
            e.connectionState = s
            if e.firstReached[s] == nil { e.firstReached[s] = now }
            transcript.append("t=\(ms) \(e.name) connection \(s.rawValue)")
        case .iceConnectionStateChanged(let s):
            e.iceState = s
            transcript.append("t=\(ms) \(e.name) ice \(s.rawValue)")
        case .dtlsStateChanged(let s):
            e.dtlsState = s
            transcript.append("t=\(ms) \(e.name) dtls \(s.rawValue)")
        case .signalingStateChanged(let s):
            e.signaling = s
            transcript.append("t=\(ms) \(e.name) signaling \(s.rawValue)")
        case .negotiationNeeded:
            e.negotiationNeeded += 1
        case .channelOpened(let h):
            e.openChannels.insert(h)
            transcript.append("t=\(ms) \(e.name) open \(h)")
        case .remoteChannel(let h, let id, let p):
            e.remoteChannels[h] = p
            e.openChannels.insert(h)
            transcript.append("t=\(ms) \(e.name) remote channel \(h) id \(id) \(p.label)")
        case .message(let h, let m):
            e.received[h, default: []].append(m)
            if e.consumesMessages { e.engine.consumed(bytes: m.byteCount, on: h, now: now) } else { e.unread += m.byteCount }
            if case .binary(let b) = m { e.receivedBytes[h, default: 0] += b.count }
        case .channelClosed(let h):
            e.closedChannels.insert(h)
            transcript.append("t=\(ms) \(e.name) closed \(h)")
        case .channelError(_, let err), .dtlsError(let err):
            e.errors.append(err)
            transcript.append("t=\(ms) \(e.name) error \(err.message)")
        default:
            break
        }
    }

    /// Advances virtual time to the next thing that happens (a delivery, a deadline, a signaling
    /// message) and runs it. Returns false when nothing is scheduled before `limit`.
    @discardableResult
    func step(limit: Instant) -> Bool {
        flushAll()
        let next = [network.nextDeliveryTime(), offerer.engine.nextDeadline(), answerer.engine.nextDeadline(), signaling.map(\.at).min()]
            .compactMap { $0 }.min()
        guard let next, next <= limit else { clock.advance(to: limit); return false }
        if next <= now {
            // A deadline that does not move would spin: let at least a microsecond pass.
            stalledSteps += 1
            if stalledSteps > 100 { clock.advance(by: .microseconds(1)); stalledSteps = 0 }
        } else {
            stalledSteps = 0
        }
        clock.advance(to: next)
        while let at = network.nextDeliveryTime(), at <= now {
            for d in network.deliver(upTo: at) {
                let e = d.to == offerer.address ? offerer : answerer
                e.engine.handleDatagram(d.bytes, socket: 1, from: d.from, now: now)
            }
        }
        let due = signaling.filter { $0.at <= now }
        signaling.removeAll { $0.at <= now }
        for s in due { s.deliver() }
        for e in [offerer, answerer] {
            if let d = e.engine.nextDeadline(), d <= now { e.engine.handleTimeout(now: now) }
        }
        flushAll()
        return true
    }

    /// Runs until `done` holds or `within` of virtual time passes; returns whether `done` held.
    @discardableResult
    func run(within: Duration, until done: () -> Bool) -> Bool {
        let limit = now + within
        while !done() {
            if now >= limit { return false }
            step(limit: limit)
        }
        return true
    }

    /// Runs for `duration` of virtual time.
    func run(for duration: Duration) {
        let limit = now + duration
        while now < limit { step(limit: limit) }
    }

    /// Negotiates a channel "data" and runs until both sides have it open.
    func connectWithChannel(_ params: DataChannelParameters = DataChannelParameters(label: "data"), within: Duration = .seconds(10)) throws -> (offerer: Int, answerer: Int)? {
        let handle = try offerer.engine.createDataChannel(params, now: now)
        try negotiate()
        let ok = run(within: within) { offerer.openChannels.contains(handle) && !answerer.remoteChannels.isEmpty }
        guard ok, let remote = answerer.remoteChannels.keys.min() else { return nil }
        return (handle, remote)
    }
}
