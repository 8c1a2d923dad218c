import Testing
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

/// Two associations wired back to back in memory, driven in virtual time. The clock starts at
/// the stack's latest tick so every association in the process shares one timeline.
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
    /// Virtual time per step.
    let stepDuration: Duration = .milliseconds(5)
    var packetsAB = 0, packetsBA = 0

    init(seed: UInt64 = 1, impairment: LinkImpairment = .perfect, aPort: UInt16 = 5000, bPort: UInt16 = 5000) throws {
        self.seed = seed
        self.random = RandomSource(seed: seed)
        self.impairment = impairment
        a = try SCTPAssociation(localPort: aPort, remotePort: bPort, isDTLSClient: true)
        b = try SCTPAssociation(localPort: bPort, remotePort: aPort, isDTLSClient: false)
        a.maxMessageSize = 0
        b.maxMessageSize = 0
        now = (SCTPStack.latestTick ?? .zero) + .milliseconds(1)
    }

    func start() {
        a.start(now: now)
        b.start(now: now)
    }

    /// Runs until `done` holds or `maxVirtual` passes; returns whether `done` held.
    @discardableResult
    func run(maxVirtual: Duration = .seconds(30), until done: () -> Bool) -> Bool {
        let end = now + maxVirtual
        while now < end {
            pumpOnce()
            if done() { return true }
        }
        return done()
    }

    func connect() -> Bool {
        start()
        return run(maxVirtual: .seconds(10)) { eventsA.contains(.connected) && eventsB.contains(.connected) }
    }

    func pumpOnce() {
        collect(from: a, into: &toB, count: &packetsAB)
        collect(from: b, into: &toA, count: &packetsBA)
        deliver(&toB, to: b)
        deliver(&toA, to: a)
        drainEvents()
        step += 1
        now = now + stepDuration
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
