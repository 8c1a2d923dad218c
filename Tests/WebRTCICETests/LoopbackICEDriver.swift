import Testing
import WebRTCCore
@testable import WebRTCICE
import WebRTCTestSupport

/// One agent on real 127.0.0.1 sockets, and what it saw.
final class RealPeer {
    let name: String
    let agent: ICEAgent
    let ufrag: String, password: String
    var udp: [Int: LoopbackUDPSocket] = [:]
    var streams: [Int: LoopbackTCPConnection] = [:]
    var streamsOpened: [Int] = []
    var streamsClosedByAgent: [Int] = []
    var states: [ICEConnectionState] = []
    var localCandidates: [ICECandidate] = []
    var candidateErrors: [(code: Int, text: String)] = []
    var gatheringComplete = false
    /// Application payloads with where they came from.
    var received: [(bytes: [UInt8], from: TransportAddress)] = []
    var udpBytesSent = 0, streamBytesSent = 0
    weak var other: RealPeer?

    init(name: String, agent: ICEAgent, ufrag: String, password: String) {
        self.name = name
        self.agent = agent
        self.ufrag = ufrag
        self.password = password
    }

    var isUp: Bool { [.connected, .completed].contains(agent.connectionState) }
}

/// A tiny blocking POSIX driver: runs ICE agents in real time on real loopback UDP sockets, and
/// opens the TCP connections they ask for (TURN over TCP/TLS). `poll` waits for the next read or
/// the earliest agent deadline. Candidates are signalled between the two peers at once.
final class LoopbackICEDriver {
    var peers: [RealPeer] = []
    var log: [String] = []
    let start = MonotonicClock.now()

    var now: Instant { MonotonicClock.now() }
    var elapsed: Duration { now - start }

    func addPeer(_ name: String, role: ICERole, configuration: ICEAgentConfiguration, udpSockets: Int = 1, seed: UInt64) throws -> RealPeer {
        let t = ICETestAgent(role: role, configuration: configuration, random: RandomSource(seed: seed))
        let agent = t.agent
        let p = RealPeer(name: name, agent: agent, ufrag: t.ufrag, password: t.password)
        for i in 1...udpSockets {
            let s = try LoopbackUDPSocket()
            p.udp[i] = s
            agent.addHostSocket(id: i, address: s.address, now: now)
        }
        peers.append(p)
        return p
    }

    func pair(_ a: RealPeer, _ b: RealPeer) {
        a.other = b
        b.other = a
        ICETestAgent.start(ICETestAgent(a), ICETestAgent(b), now: now)
    }

    private func note(_ p: RealPeer, _ s: String) { log.append("\(Int(elapsed.milliseconds))ms \(p.name) \(s)") }

    /// Drains every peer's events and transmits onto the sockets until nothing is left.
    func flush() {
        var again = true
        while again {
            again = false
            for p in peers {
                while let e = p.agent.pollEvent() {
                    again = true
                    handle(e, of: p)
                }
                while let t = p.agent.pollTransmit() {
                    again = true
                    if let s = p.udp[t.socket] {
                        if s.send(t.bytes, to: t.destination) { p.udpBytesSent += t.bytes.count }
                    } else if let c = p.streams[t.socket] {
                        if c.write(t.bytes) { p.streamBytesSent += t.bytes.count }
                    } else {
                        note(p, "transmit on unknown socket \(t.socket)")
                    }
                }
            }
        }
    }

    private func handle(_ e: ICEEvent, of p: RealPeer) {
        switch e {
        case .localCandidate(let c):
            p.localCandidates.append(c)
            note(p, "candidate \(c.type.rawValue) \(c.address) prio \(c.priority)")
            p.other?.agent.addRemoteCandidate(c, now: now)
        case .gatheringStateChanged(let s):
            note(p, "gathering \(s)")
            if s == .complete {
                p.gatheringComplete = true
                p.other?.agent.remoteEndOfCandidates(now: now)
            }
        case .candidateError(let url, _, _, let code, let text):
            p.candidateErrors.append((code, text))
            note(p, "candidateError \(url) \(code) \(text)")
        case .connectionStateChanged(let s):
            p.states.append(s)
            note(p, "state \(s)")
        case .selectedPairChanged(let sp):
            note(p, "selected \(sp.local.type.rawValue) \(sp.local.address) -> \(sp.remote.type.rawValue) \(sp.remote.address)")
        case .openStream(let id, let to):
            p.streamsOpened.append(id)
            if let c = LoopbackTCPConnection(connectingTo: to) {
                p.streams[id] = c
                note(p, "stream \(id) connected \(c.localAddress) -> \(to)")
                p.agent.streamConnected(socket: id, localAddress: c.localAddress, now: now)
            } else {
                note(p, "stream \(id) could not connect to \(to)")
                p.agent.streamClosed(socket: id, now: now)
            }
        case .closeStream(let id):
            p.streamsClosedByAgent.append(id)
            note(p, "stream \(id) closed by agent")
            // Transmits polled before this event were written already; later ones are dropped.
            p.streams.removeValue(forKey: id)?.close()
        }
    }

    /// Runs in real time until `stop` holds or `timeout` passes. True when `stop` held.
    @discardableResult
    func run(timeout: Duration, until stop: () -> Bool = { false }) -> Bool {
        let end = now + timeout
        while true {
            flush()
            if stop() { return true }
            let t = now
            if t >= end { return false }
            var wake = end
            for p in peers { if let d = p.agent.nextDeadline() { wake = min(wake, d) } }
            var fds: [Int32] = []
            for p in peers { fds += p.udp.values.map(\.fd) + p.streams.values.map(\.fd) }
            let ready = waitReadable(fds, timeout: max(.zero, min(wake - t, .milliseconds(50))))
            for p in peers {
                for (id, s) in p.udp where ready.contains(s.fd) {
                    while let (bytes, from) = s.receive() {
                        if let payload = p.agent.handleDatagram(bytes, from: from, socket: id, now: now) {
                            p.received.append((payload, from))
                        }
                    }
                }
                for (id, c) in p.streams where ready.contains(c.fd) {
                    readLoop: while true {
                        switch c.read() {
                        case .bytes(let b):
                            for r in p.agent.handleStreamBytes(b, socket: id, now: now) { p.received.append((r.payload, r.from)) }
                        case .wouldBlock:
                            break readLoop
                        case .closed:
                            note(p, "stream \(id) closed by server")
                            c.close()
                            p.streams.removeValue(forKey: id)
                            p.agent.streamClosed(socket: id, now: now)
                            break readLoop
                        }
                    }
                }
                if let d = p.agent.nextDeadline(), d <= now { p.agent.handleTimeout(now: now) }
            }
        }
    }

    /// Closes every agent and lets the releases and stream closes go out.
    func closeAll() {
        for p in peers { p.agent.close() }
        flush()
    }
}
