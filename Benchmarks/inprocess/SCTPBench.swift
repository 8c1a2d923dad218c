import WebRTCCore
import WebRTCSCTP

/// Two SCTP associations joined back to back in memory (no DTLS), on the real monotonic clock:
/// usrsctp measures RTTs and decides retransmissions with its own clock, so time must be real.
final class SCTPLink {
    let a: SCTPAssociation
    let b: SCTPAssociation
    var connectedA = false, connectedB = false
    var openA: Set<UInt16> = []
    var receivedMessages = 0
    var receivedBytes = 0
    var packetsAB = 0, packetsBA = 0
    var closedEvents: [SCTPEvent] = []

    init() throws {
        a = try SCTPAssociation(localPort: 5000, remotePort: 5000, isDTLSClient: true)
        b = try SCTPAssociation(localPort: 5000, remotePort: 5000, isDTLSClient: false)
        a.maxMessageSize = 0
        b.maxMessageSize = 0
    }

    /// Moves every pending packet across, drains events, runs due timers. Returns packets moved.
    @discardableResult
    func pump() -> Int {
        let now = MonotonicClock.now()
        var moved = 0
        while let p = a.pollTransmit() { b.handlePacket(p, now: now); packetsAB += 1; moved += 1 }
        while let p = b.pollTransmit() { a.handlePacket(p, now: now); packetsBA += 1; moved += 1 }
        while let e = a.pollEvent() {
            switch e {
            case .connected: connectedA = true
            case .channelOpen(let id): openA.insert(id)
            case .closed: closedEvents.append(e)
            default: break
            }
        }
        while let e = b.pollEvent() {
            switch e {
            case .connected: connectedB = true
            case .message(_, let m):
                receivedMessages += 1
                receivedBytes += m.byteCount
            case .closed: closedEvents.append(e)
            default: break
            }
        }
        for x in [a, b] {
            if let d = x.nextDeadline(), d <= now { x.handleTimeout(now: now) }
        }
        return moved
    }

    /// Pumps until `done` or `limit` passes.
    func run(limit: Duration, until done: () -> Bool) -> Bool {
        let end = MonotonicClock.now() + limit
        while MonotonicClock.now() < end {
            pump()
            if done() { return true }
        }
        return done()
    }
}

/// Ordered reliable messages of `size` bytes from a to b, as fast as the in-memory link goes.
func benchSCTP(name: String, size: Int, options: Options) -> BenchResult {
    var r = BenchResult(name: name)
    let link: SCTPLink
    do { link = try SCTPLink() } catch {
        r.notes.append("association: \(error)")
        return r
    }
    let id: UInt16
    do { id = try link.a.openChannel(DataChannelParameters(label: "bench")) } catch {
        r.notes.append("openChannel: \(error)")
        return r
    }
    let now = MonotonicClock.now()
    link.a.start(now: now)
    link.b.start(now: now)
    guard link.run(limit: .seconds(5), until: { link.connectedA && link.connectedB && link.openA.contains(id) }) else {
        r.notes.append("association or channel did not open: \(link.a.debugSummary)")
        return r
    }
    let payload = [UInt8](repeating: 0xA5, count: size)
    // Keep a few MiB queued so usrsctp's 2 MiB send buffer never runs dry.
    let window = max(4 << 20, 64 * size)
    var sent = 0
    func feed() {
        while link.a.bufferedAmount(of: id) < window {
            do { try link.a.send(.binary(payload), on: id) } catch {
                r.notes.append("send: \(error)")
                return
            }
            sent += 1
        }
    }
    func phase(_ d: Duration) -> (messages: Int, bytes: Int, packets: Int, wall: Double, cpu: Double) {
        let m0 = link.receivedMessages, b0 = link.receivedBytes, p0 = link.packetsAB
        let c0 = threadCPUSeconds()
        let t0 = MonotonicClock.now()
        while MonotonicClock.now() - t0 < d {
            feed()
            link.pump()
        }
        return (link.receivedMessages - m0, link.receivedBytes - b0, link.packetsAB - p0, secondsSince(t0), threadCPUSeconds() - c0)
    }
    _ = phase(options.warmup)
    let m = phase(options.minDuration + (options.quick ? .zero : .milliseconds(500)))
    r.add("message size", Double(size), "B")
    r.add("messages", Double(m.messages) / m.wall, "msg/s")
    r.add("throughput", Double(m.bytes) / m.wall / 1e6, "MB/s")
    r.add("messages per CPU-s", Double(m.messages) / m.cpu, "msg/s")
    r.add("throughput per CPU-s", Double(m.bytes) / m.cpu / 1e6, "MB/s")
    r.add("SCTP packets a→b", Double(m.packets) / m.wall, "pkt/s")
    if m.messages == 0 { r.notes.append("no messages arrived: \(link.a.debugSummary)") }
    if !link.closedEvents.isEmpty { r.notes.append("association closed during the run: \(link.closedEvents)") }
    link.a.abort()
    link.b.abort()
    return r
}
