import WebRTCCore
@testable import WebRTCDTLS

/// Two engines joined by an in-memory link with fixed latency and seeded loss, run in virtual time.
final class DTLSPipe {
    let a: DTLSEngine
    let b: DTLSEngine
    var now: Instant = .zero
    let latency: Duration
    let loss: Double
    let random: RandomSource
    private(set) var eventsA: [DTLSEvent] = []
    private(set) var eventsB: [DTLSEvent] = []
    private(set) var delivered = 0
    private(set) var lost = 0
    /// Called before each real delivery with the receiving engine (to inject junk, say).
    var beforeDelivery: ((DTLSEngine, Instant) -> Void)?
    /// (arrival, toB, bytes), kept sorted by arrival.
    private var inFlight: [(Instant, Bool, [UInt8])] = []

    init(a: DTLSEngine, b: DTLSEngine, latency: Duration = .milliseconds(10), loss: Double = 0, seed: UInt64 = 1) {
        self.a = a
        self.b = b
        self.latency = latency
        self.loss = loss
        self.random = RandomSource(seed: seed)
    }

    func startBoth() {
        a.start(now: now)
        b.start(now: now)
        pump()
    }

    /// Moves every queued datagram onto the link and collects events.
    func pump() {
        while let d = a.pollTransmit() { enqueue(d, toB: true) }
        while let d = b.pollTransmit() { enqueue(d, toB: false) }
        while let e = a.pollEvent() { eventsA.append(e) }
        while let e = b.pollEvent() { eventsB.append(e) }
    }

    private func enqueue(_ d: [UInt8], toB: Bool) {
        if loss > 0 && random.unit() < loss { lost += 1; return }
        let arrival = now + latency
        let index = inFlight.firstIndex { $0.0 > arrival } ?? inFlight.count
        inFlight.insert((arrival, toB, d), at: index)
    }

    /// Advances virtual time event by event until `done` holds or `limit` passes. Returns `done`.
    @discardableResult
    func run(for limit: Duration, until done: (DTLSPipe) -> Bool) -> Bool {
        let end = now + limit
        pump()
        while !done(self) {
            let next = [inFlight.first?.0, a.nextDeadline(), b.nextDeadline()].compactMap { $0 }.min()
            guard let next, next <= end else { return done(self) }
            now = max(now, next)
            while let first = inFlight.first, first.0 <= now {
                inFlight.removeFirst()
                delivered += 1
                beforeDelivery?(first.1 ? b : a, now)
                (first.1 ? b : a).handleDatagram(first.2, now: now)
                pump()
            }
            if let d = a.nextDeadline(), d <= now { a.handleTimeout(now: now) }
            if let d = b.nextDeadline(), d <= now { b.handleTimeout(now: now) }
            pump()
        }
        return true
    }

    static func bothConnected(_ p: DTLSPipe) -> Bool { p.a.state == .connected && p.b.state == .connected }
    static func bothSettled(_ p: DTLSPipe) -> Bool {
        let settled: (DTLSState) -> Bool = { $0 == .connected || $0 == .failed || $0 == .closed }
        return settled(p.a.state) && settled(p.b.state)
    }

    func applicationData(_ side: KeyPath<DTLSPipe, [DTLSEvent]>) -> [[UInt8]] {
        self[keyPath: side].compactMap { if case .applicationData(let d) = $0 { return d } else { return nil } }
    }
}

/// The sha-256 fingerprint of a certificate, as the remote side would receive it in SDP.
func fingerprints(of certificate: DTLSCertificate, _ algorithm: String = "sha-256") -> [DTLSFingerprint] {
    [DTLSFingerprint(algorithm: algorithm, value: certificate.fingerprint(algorithm: algorithm) ?? "")]
}

/// A connected or not-yet-started pair: `a` is the client, `b` the server.
func makePair(clientKey: DTLSCertificate.KeyType = .ecdsaP256, serverKey: DTLSCertificate.KeyType = .ecdsaP256,
              mode: DTLSRetransmitMode = .replay, loss: Double = 0, seed: UInt64 = 1) throws -> (DTLSPipe, DTLSCertificate, DTLSCertificate) {
    let cc = try DTLSCertificate.generate(clientKey)
    let sc = try DTLSCertificate.generate(serverKey)
    let client = try DTLSEngine(role: .client, certificate: cc, remoteFingerprints: fingerprints(of: sc), retransmitMode: mode)
    let server = try DTLSEngine(role: .server, certificate: sc, remoteFingerprints: fingerprints(of: cc), retransmitMode: mode)
    return (DTLSPipe(a: client, b: server, loss: loss, seed: seed), cc, sc)
}
