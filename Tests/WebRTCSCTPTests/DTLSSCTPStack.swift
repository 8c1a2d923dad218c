import Testing
#if canImport(Glibc)
import Glibc
#endif
import WebRTCCore
import WebRTCTestSupport
@testable import WebRTCDTLS
@testable import WebRTCSCTP

/// One endpoint of the data-channel stack below the peer connection: an `SCTPAssociation` carried
/// by a `DTLSEngine`, wired the way `PeerConnectionCore.pump()` wires them. SCTP packets go to
/// `dtls.send` (only once DTLS is connected), DTLS application data goes to `sctp.handlePacket`,
/// and SCTP starts when DTLS reports `.connected`.
final class DTLSSCTPEndpoint {
    let name: String
    let address: TransportAddress
    let dtls: DTLSEngine
    let sctp: SCTPAssociation
    /// Every SCTP event with the (stack-clock) instant it was polled.
    private(set) var events: [(at: Instant, event: SCTPEvent)] = []
    /// DTLS failures seen (a test expects none).
    private(set) var dtlsFailures: [DTLSError] = []
    private(set) var dtlsConnectedAt: Instant?
    private(set) var sctpStarted = false
    /// Sees every SCTP packet handed to DTLS (diagnostics).
    var onSCTPTransmit: (([UInt8]) -> Void)?
    /// SCTP packets `dtls.send` refused.
    private(set) var dtlsSendFailures = 0

    init(name: String, address: TransportAddress, isDTLSClient: Bool, certificate: DTLSCertificate,
         remoteCertificate: DTLSCertificate) throws {
        self.name = name
        self.address = address
        let remote = DTLSFingerprint(algorithm: "sha-256", value: remoteCertificate.fingerprint(algorithm: "sha-256") ?? "")
        // Same construction as PeerConnectionCore.createDTLSIfNeeded / createSCTPIfNeeded.
        dtls = try DTLSEngine(role: isDTLSClient ? .client : .server, certificate: certificate, remoteFingerprints: [remote])
        sctp = try SCTPAssociation(localPort: 5000, remotePort: 5000, isDTLSClient: isDTLSClient)
        // Both sides advertise our a=max-message-size (RFC 8841 §6).
        sctp.maxMessageSize = UInt64(SCTPAssociation.advertisedMaxMessageSize)
    }

    /// Drains both engines until neither has anything left (PeerConnectionCore.pump()).
    func pump(now: Instant, transmit: ([UInt8]) -> Void) {
        var progressed = true
        var rounds = 0
        while progressed && rounds < 10_000 {
            progressed = false
            rounds += 1
            while let d = dtls.pollTransmit() { transmit(d) }
            while let e = dtls.pollEvent() { handleDTLS(e, now: now); progressed = true }
            if dtls.state == .connected {
                while let p = sctp.pollTransmit() {
                    onSCTPTransmit?(p)
                    do { try dtls.send(p) } catch { dtlsSendFailures += 1 }
                    progressed = true
                }
            }
            while let e = sctp.pollEvent() { events.append((now, e)); progressed = true }
        }
    }

    private func handleDTLS(_ e: DTLSEvent, now: Instant) {
        switch e {
        case .connected:
            dtlsConnectedAt = now
            if !sctpStarted {
                sctpStarted = true
                sctp.start(now: now)
            }
        case .applicationData(let bytes):
            sctp.handlePacket(bytes, now: now)
        case .failed(let error):
            dtlsFailures.append(error)
        case .alertSent, .alertReceived, .closed:
            break
        }
    }

    func receive(_ datagram: [UInt8], now: Instant) {
        dtls.handleDatagram(datagram, now: now)
    }

    func runTimers(now: Instant) {
        if let d = dtls.nextDeadline(), d <= now { dtls.handleTimeout(now: now) }
        if let d = sctp.nextDeadline(), d <= now { sctp.handleTimeout(now: now) }
    }

    var nextDeadline: Instant? { Instant.earliest(dtls.nextDeadline(), sctp.nextDeadline()) }

    var sctpConnected: Bool { events.contains { $0.event == .connected } }

    func opened(_ id: UInt16) -> Bool { events.contains { $0.event == .channelOpen(id: id) } }

    /// Channels the peer announced with DATA_CHANNEL_OPEN.
    var remoteChannels: [UInt16: DataChannelParameters] {
        var out: [UInt16: DataChannelParameters] = [:]
        for case .remoteChannel(let id, let p) in events.map(\.event) { out[id] = p }
        return out
    }

    /// Messages received on `id`, in delivery order.
    func messages(on id: UInt16) -> [DataChannelMessage] {
        events.compactMap { if case .message(id, let m) = $0.event { m } else { nil } }
    }

    /// Messages received on `id` with the instant each was delivered.
    func timedMessages(on id: UInt16) -> [(at: Instant, message: DataChannelMessage)] {
        events.compactMap { if case .message(id, let m) = $0.event { ($0.at, m) } else { nil } }
    }

    func messageCount(on id: UInt16) -> Int {
        events.reduce(0) { n, e in if case .message(id, _) = e.event { n + 1 } else { n } }
    }
}

/// Two `DTLSSCTPEndpoint`s joined by a seeded `SimulatedNetwork` (the same conditions both ways),
/// driven by the real monotonic clock, optionally sped up by `timeScale`.
///
/// Real time, not free-running virtual time: usrsctp reads the wall clock itself for RTT samples,
/// retransmission eligibility and PR-SCTP lifetimes (see `AssociationPair`). Link delays are in
/// the stack's (scaled) clock.
final class DTLSSCTPLink {
    let client: DTLSSCTPEndpoint   // DTLS client: even stream ids
    let server: DTLSSCTPEndpoint   // DTLS server: odd stream ids
    let network: SimulatedNetwork
    let seed: UInt64
    let timeScale: Int64
    private let realStart: Instant
    private let clockStart: Instant
    private(set) var datagramsClientToServer = 0, datagramsServerToClient = 0

    init(seed: UInt64, conditions: LinkConditions, timeScale: Int64 = 1) throws {
        self.seed = seed
        self.timeScale = timeScale
        network = SimulatedNetwork(seed: seed)
        network.defaultLink = conditions
        guard let ipC = IPAddress("10.0.0.1"), let ipS = IPAddress("10.0.0.2") else { throw SCTPError.invalidState }
        let certC = try DTLSCertificate.generate()
        let certS = try DTLSCertificate.generate()
        client = try DTLSSCTPEndpoint(name: "client", address: TransportAddress(ip: ipC, port: 50_000), isDTLSClient: true,
                                      certificate: certC, remoteCertificate: certS)
        server = try DTLSSCTPEndpoint(name: "server", address: TransportAddress(ip: ipS, port: 50_001), isDTLSClient: false,
                                      certificate: certS, remoteCertificate: certC)
        realStart = MonotonicClock.now()
        // Never behind usrsctp's timeline, which a previous sped-up test may have moved ahead.
        clockStart = max(realStart, SCTPStack.latestTick ?? realStart)
    }

    /// The stack's clock: real monotonic time × `timeScale` since creation.
    func now() -> Instant {
        Instant(nanoseconds: clockStart.nanoseconds + (MonotonicClock.now().nanoseconds - realStart.nanoseconds) * timeScale)
    }

    /// Starts both DTLS engines (the server first, as ICE would have it waiting).
    func start() {
        let t = now()
        server.dtls.start(now: t)
        client.dtls.start(now: t)
        pumpBoth(now: t)
    }

    private func pumpBoth(now t: Instant) {
        client.pump(now: t) { network.send(from: client.address, to: server.address, bytes: $0, now: t); datagramsClientToServer += 1 }
        server.pump(now: t) { network.send(from: server.address, to: client.address, bytes: $0, now: t); datagramsServerToClient += 1 }
    }

    /// One turn of the loop: flush what the test queued, wait (at most 2 ms of real time) for the
    /// next delivery or deadline, deliver, run timers, flush again.
    func step() {
        pumpBoth(now: now())
        let t0 = now()
        let next = [network.nextDeliveryTime(), client.nextDeadline, server.nextDeadline].compactMap { $0 }.min()
        let waitMicros = next.map { min(max(0, ($0 - t0).nanoseconds / 1000 / timeScale), 2000) } ?? 1000
        if waitMicros > 0 { usleep(UInt32(waitMicros)) }
        let t = now()
        // Each datagram is handed over at its own arrival instant (never before the previous
        // step's `t`, so time stays monotonic), so that event times measure the link, not how late
        // this loop got to run on a busy machine.
        while let at = network.nextDeliveryTime(), at <= t {
            for d in network.deliver(upTo: at) {
                (d.to == server.address ? server : client).receive(d.bytes, now: at)
                pumpBoth(now: at)
            }
        }
        client.runTimers(now: t)
        server.runTimers(now: t)
        pumpBoth(now: t)
    }

    /// Runs until `done` holds or `maxWall` of real time passes; returns whether `done` held.
    @discardableResult
    func run(maxWall: Duration = .seconds(10), until done: () -> Bool) -> Bool {
        let end = MonotonicClock.now() + maxWall
        while MonotonicClock.now() < end {
            step()
            if done() { return true }
        }
        return done()
    }

    /// DTLS handshake, then SCTP association, over the link.
    func connect(maxWall: Duration = .seconds(5)) -> Bool {
        start()
        return run(maxWall: maxWall) { client.sctpConnected && server.sctpConnected }
    }

    var summary: String {
        "datagrams c→s \(datagramsClientToServer) s→c \(datagramsServerToClient), network sent \(network.sentCount) lost \(network.lostCount) delivered \(network.deliveredCount); " +
        "client \(client.sctp.debugSummary) drops \(client.dtls.drops) / server \(server.sctp.debugSummary) drops \(server.dtls.drops)"
    }
}

/// One DATA chunk (RFC 9260 §3.3.1) of an SCTP packet, for diagnostics.
struct DataChunkInfo {
    var tsn: UInt32, stream: UInt16, ssn: UInt16, beginning: Bool, end: Bool, unordered: Bool
    var payload: ArraySlice<UInt8>

    /// The DATA chunks of one SCTP packet (12-byte common header, then chunks padded to 4 bytes).
    static func parse(_ packet: [UInt8]) -> [DataChunkInfo] {
        var out: [DataChunkInfo] = []
        var i = 12
        func u16(_ k: Int) -> Int { Int(packet[k]) << 8 | Int(packet[k + 1]) }
        while i + 4 <= packet.count {
            let type = packet[i], flags = packet[i + 1], length = u16(i + 2)
            guard length >= 4, i + length <= packet.count else { break }
            if type == 0, length >= 16 {
                let tsn = UInt32(u16(i + 4)) << 16 | UInt32(u16(i + 6))
                out.append(DataChunkInfo(tsn: tsn, stream: UInt16(u16(i + 8)), ssn: UInt16(u16(i + 10)),
                                         beginning: flags & 2 != 0, end: flags & 1 != 0, unordered: flags & 4 != 0,
                                         payload: packet[(i + 16)..<(i + length)]))
            }
            i += (length + 3) & ~3
        }
        return out
    }
}
