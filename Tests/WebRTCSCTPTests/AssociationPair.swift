import Testing
#if canImport(Glibc)
import Glibc
#endif
import WebRTCCore
@testable import WebRTCSCTP

/// How the in-memory link between the two associations misbehaves.
struct LinkImpairment {
    var loss = 0.0
    var duplication = 0.0
    /// Probability that a packet is held back and delivered after later ones.
    var reorder = 0.0
    static let perfect = LinkImpairment()
}

/// Two associations wired back to back in memory, driven by the real monotonic clock, optionally
/// sped up by a small factor.
///
/// Not free-running virtual time: usrsctp reads the wall clock itself for RTT samples and, on a T3
/// timeout, only retransmits chunks sent more than (SRTT-based) one RTO ago by that clock
/// (sctp_mark_all_for_resend). Timers driven much faster than real time fire without
/// retransmitting, back the RTO off and stall the transfer. A factor of a few is safe because the
/// in-memory RTT (and so that threshold) is tiny. Link delay is counted in pump iterations.
final class AssociationPair {
    let a: SCTPAssociation   // DTLS client (even ids)
    let b: SCTPAssociation   // DTLS server (odd ids)
    var now: Instant
    let random: RandomSource
    let seed: UInt64
    var impairment: LinkImpairment
    /// Packets in flight towards a / b, with the step at which they arrive.
    private var toA: [(at: Int, bytes: [UInt8])] = []
    private var toB: [(at: Int, bytes: [UInt8])] = []
    private var step = 0
    var eventsA: [SCTPEvent] = []
    var eventsB: [SCTPEvent] = []
    var packetsAB = 0, packetsBA = 0

    /// `aOutboundStreams`: how many outgoing streams `a` asks for in its INIT.
    init(seed: UInt64 = 1, impairment: LinkImpairment = .perfect, aPort: UInt16 = 5000, bPort: UInt16 = 5000,
         aOutboundStreams: UInt16 = SCTPTuning.streams) throws {
        self.seed = seed
        self.random = RandomSource(seed: seed)
        self.impairment = impairment
        a = try SCTPAssociation(localPort: aPort, remotePort: bPort, isDTLSClient: true, outboundStreams: aOutboundStreams)
        b = try SCTPAssociation(localPort: bPort, remotePort: aPort, isDTLSClient: false)
        a.maxMessageSize = 0
        b.maxMessageSize = 0
        realStart = MonotonicClock.now()
        // Never behind the stack's timeline (an earlier sped-up pair may have moved it ahead).
        clockStart = max(realStart, SCTPStack.latestTick ?? realStart)
        now = clockStart
    }

    /// How much faster than real time the pair's clock runs.
    var timeScale: Int64 = 1
    private let realStart: Instant
    private let clockStart: Instant

    private func clock() -> Instant {
        Instant(nanoseconds: clockStart.nanoseconds + (MonotonicClock.now().nanoseconds - realStart.nanoseconds) * timeScale)
    }

    func start() {
        a.start(now: now)
        b.start(now: now)
    }

    /// Runs until `done` holds or `maxWall` (wall time) passes; returns whether `done` held.
    @discardableResult
    func run(maxWall: Duration = .seconds(10), until done: () -> Bool) -> Bool {
        let end = MonotonicClock.now() + maxWall
        while MonotonicClock.now() < end {
            pumpOnce()
            if done() { return true }
        }
        return done()
    }

    func connect() -> Bool {
        start()
        return run(maxWall: .seconds(10)) { eventsA.contains(.connected) && eventsB.contains(.connected) }
    }

    func pumpOnce() {
        collect(from: a, into: &toB, count: &packetsAB)
        collect(from: b, into: &toA, count: &packetsBA)
        deliver(&toB, to: b)
        deliver(&toA, to: a)
        drainEvents()
        step += 1
        if toA.isEmpty && toB.isEmpty {
            // Nothing in flight: let real time move towards the next deadline (at most 2 ms).
            let next = [a.nextDeadline(), b.nextDeadline()].compactMap { $0 }.min()
            let wait = next.map { min(max(0, ($0 - clock()).nanoseconds / 1000 / timeScale), 2000) } ?? 1000
            if wait > 0 { usleep(UInt32(wait)) }
        }
        now = clock()
        for x in [a, b] {
            if let d = x.nextDeadline(), d <= now { x.handleTimeout(now: now) }
        }
        drainEvents()
    }

    func drainEvents() {
        while let e = a.pollEvent() { eventsA.append(e) }
        while let e = b.pollEvent() { eventsB.append(e) }
    }

    private func collect(from x: SCTPAssociation, into queue: inout [(at: Int, bytes: [UInt8])], count: inout Int) {
        while let p = x.pollTransmit() {
            count += 1
            if random.unit() < impairment.loss { continue }
            let copies = random.unit() < impairment.duplication ? 2 : 1
            for _ in 0..<copies {
                let delay = random.unit() < impairment.reorder ? 1 + random.uniform(0...3) : 1
                queue.append((step + delay, p))
            }
        }
    }

    private func deliver(_ queue: inout [(at: Int, bytes: [UInt8])], to x: SCTPAssociation) {
        let due = queue.filter { $0.at <= step }
        queue.removeAll { $0.at <= step }
        for p in due { x.handlePacket(p.bytes, now: now) }
    }

    /// Messages received so far on one side, per channel.
    static func messages(_ events: [SCTPEvent], on id: UInt16) -> [DataChannelMessage] {
        events.compactMap { if case .message(id, let m) = $0 { return m } else { return nil } }
    }
}
