import Testing
import WebRTCCore
import WebRTCICE
import WebRTCTestSupport

/// One simulated endpoint: an agent, its sockets and what it saw.
final class SimPeer {
    let name: String
    let agent: ICEAgent
    var sockets: [(id: Int, address: TransportAddress)] = []
    var states: [(Instant, ICEConnectionState)] = []
    var gathering: [ICEGatheringState] = []
    var localCandidates: [ICECandidate] = []
    var candidateErrors: [Int] = []
    var selected: [ICESelectedPair] = []
    var received: [[UInt8]] = []
    /// Every datagram this peer sent: (time, socket, destination, bytes).
    var sent: [(Instant, Int, TransportAddress, [UInt8])] = []
    var signalCandidates = true
    var signalEndOfCandidates = true
    weak var other: SimPeer?
    let ufrag: String, password: String

    init(name: String, agent: ICEAgent, ufrag: String, password: String) {
        self.name = name
        self.agent = agent
        self.ufrag = ufrag
        self.password = password
    }

    var state: ICEConnectionState { agent.connectionState }
    func firstTime(of s: ICEConnectionState) -> Instant? { states.first { $0.1 == s }?.0 }
}

/// Runs ICE agents over a `SimulatedNetwork` in virtual time, signalling candidates between the
/// two peers instantly, and records a transcript (same seed → same transcript).
final class ICEHarness {
    let seed: UInt64
    let net: SimulatedNetwork
    let clock = VirtualClock()
    var peers: [SimPeer] = []
    var transcript: [String] = []
    var stuck = false

    init(seed: UInt64) {
        self.seed = seed
        net = SimulatedNetwork(seed: seed)
    }

    var now: Instant { clock.now }

    @discardableResult
    func addPeer(_ name: String, role: ICERole, addresses: [String], configuration: ICEAgentConfiguration = .init()) -> SimPeer {
        let t = ICETestAgent(role: role, configuration: configuration,
                             random: RandomSource(seed: seed &+ UInt64(peers.count + 1) &* 0x9E37))
        let agent = t.agent
        let p = SimPeer(name: name, agent: agent, ufrag: t.ufrag, password: t.password)
        for (i, a) in addresses.enumerated() {
            let addr = TransportAddress(a)!
            p.sockets.append((i + 1, addr))
            agent.addHostSocket(id: i + 1, address: addr, now: now)
        }
        peers.append(p)
        return p
    }

    /// Exchanges credentials and starts gathering on both.
    func pair(_ a: SimPeer, _ b: SimPeer) {
        a.other = b
        b.other = a
        ICETestAgent.start(ICETestAgent(a), ICETestAgent(b), now: now)
    }

    private func log(_ p: SimPeer, _ s: String) { transcript.append("\(now.milliseconds) \(p.name) \(s)") }

    /// Drains transmits into the network and events into the transcript (and the other peer).
    func flush() {
        var again = true
        while again {
            again = false
            for p in peers {
                while let t = p.agent.pollTransmit() {
                    guard let from = p.sockets.first(where: { $0.id == t.socket })?.address else { continue }
                    p.sent.append((now, t.socket, t.destination, t.bytes))
                    net.send(from: from, to: t.destination, bytes: t.bytes, now: now)
                }
                while let e = p.agent.pollEvent() {
                    again = true
                    switch e {
                    case .localCandidate(let c):
                        p.localCandidates.append(c)
                        log(p, "candidate \(c.type.rawValue) \(c.address)")
                        if p.signalCandidates { p.other?.agent.addRemoteCandidate(c, now: now) }
                    case .gatheringStateChanged(let s):
                        p.gathering.append(s)
                        log(p, "gathering \(s)")
                        if s == .complete, p.signalEndOfCandidates { p.other?.agent.remoteEndOfCandidates(now: now) }
                    case .candidateError(let url, _, _, let code, let text):
                        p.candidateErrors.append(code)
                        log(p, "candidateError \(url) \(code) \(text)")
                    case .connectionStateChanged(let s):
                        p.states.append((now, s))
                        log(p, "state \(s)")
                    case .selectedPairChanged(let sp):
                        p.selected.append(sp)
                        log(p, "selected \(sp.local.type.rawValue) \(sp.local.address) -> \(sp.remote.type.rawValue) \(sp.remote.address)")
                    case .openStream(let socket, let to):
                        // The simulated network has no streams: refuse, as a driver whose connect fails.
                        log(p, "openStream \(socket) \(to) refused")
                        p.agent.streamClosed(socket: socket, now: now)
                    case .closeStream(let socket):
                        log(p, "closeStream \(socket)")
                    }
                }
            }
        }
    }

    /// Runs until `end` or until `stop` holds.
    func run(until end: Instant, stop: (ICEHarness) -> Bool = { _ in false }) {
        var sameInstant = 0
        var last = now
        while true {
            flush()
            if stop(self) { return }
            var next = net.nextDeliveryTime()
            for p in peers { next = Instant.earliest(next, p.agent.nextDeadline()) }
            guard let t = next, t <= end else { clock.advance(to: end); return }
            clock.advance(to: t)
            for d in net.deliver(upTo: now) {
                guard let p = peers.first(where: { $0.sockets.contains { $0.address == d.to } }),
                      let s = p.sockets.first(where: { $0.address == d.to }) else { continue }
                if let payload = p.agent.handleDatagram(d.bytes, from: d.from, socket: s.id, now: now) {
                    p.received.append(payload)
                }
            }
            for p in peers {
                if let d = p.agent.nextDeadline(), d <= now { p.agent.handleTimeout(now: now) }
            }
            // A deadline that never moves would spin here forever: report it instead.
            sameInstant = now == last ? sameInstant + 1 : 0
            last = now
            if sameInstant > 10_000 {
                stuck = true
                Issue.record("harness stuck at \(now): a deadline does not advance")
                return
            }
        }
    }

    func run(for d: Duration, stop: (ICEHarness) -> Bool = { _ in false }) { run(until: now + d, stop: stop) }

    /// Both peers connected or completed.
    static func bothUp(_ a: SimPeer, _ b: SimPeer) -> (ICEHarness) -> Bool {
        { _ in [.connected, .completed].contains(a.state) && [.connected, .completed].contains(b.state) }
    }
}

func ip(_ s: String) -> IPAddress { IPAddress(s)! }
func addr(_ s: String) -> TransportAddress { TransportAddress(s)! }
