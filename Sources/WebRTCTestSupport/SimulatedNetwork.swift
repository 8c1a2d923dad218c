import WebRTCCore

/// A seeded, virtual-time datagram network: hosts are addresses, links have loss, delay, jitter,
/// duplication, reordering and rate limits, NAT boxes translate and filter, and services (STUN or
/// TURN servers) answer in place. Same seed and same inputs → same deliveries.
package final class SimulatedNetwork {
    package let random: RandomSource
    /// Conditions for any link without a more specific setting.
    package var defaultLink = LinkConditions()
    private var links: [(from: IPAddress?, to: IPAddress?, conditions: LinkConditions)] = []
    private var busyUntil: [String: Instant] = [:]
    private var nats: [SimulatedNAT] = []
    private var services: [TransportAddress: SimulatedService] = [:]
    private var heap = DeliveryHeap()
    private var sequence: UInt64 = 0

    /// Counters for assertions.
    package private(set) var sentCount = 0, lostCount = 0, filteredCount = 0, deliveredCount = 0

    package init(seed: UInt64) { random = RandomSource(seed: seed) }

    // MARK: Topology

    /// Sets the conditions from `from` to `to` (directional; nil matches any address). Later
    /// settings win over earlier ones; the most specific match wins over wildcards.
    package func setLink(from: IPAddress?, to: IPAddress?, _ conditions: LinkConditions) {
        links.removeAll { $0.from == from && $0.to == to }
        links.append((from, to, conditions))
    }

    /// Puts `privateIPs` behind a NAT with public address `publicIP`.
    package func addNAT(publicIP: IPAddress, behavior: NATBehavior, privateIPs: [IPAddress]) {
        nats.append(SimulatedNAT(publicIP: publicIP, behavior: behavior, privateIPs: Set(privateIPs)))
    }

    /// Attaches a service that answers datagrams sent to `address`.
    package func attachService(at address: TransportAddress, _ service: SimulatedService) { services[address] = service }

    /// Detaches the service at `address`.
    package func detachService(at address: TransportAddress) { services[address] = nil }

    private func conditions(from: IPAddress, to: IPAddress) -> LinkConditions {
        links.last { $0.from == from && $0.to == to }?.conditions
            ?? links.last { $0.from == from && $0.to == nil }?.conditions
            ?? links.last { $0.from == nil && $0.to == to }?.conditions
            ?? links.last { $0.from == nil && $0.to == nil }?.conditions
            ?? defaultLink
    }

    private func nat(forPrivate ip: IPAddress) -> SimulatedNAT? { nats.first { $0.privateIPs.contains(ip) } }
    private func nat(forPublic ip: IPAddress) -> SimulatedNAT? { nats.first { $0.publicIP == ip } }

    // MARK: Sending and delivering

    /// Sends a datagram at `now`. NAT translation of the source happens here; filtering happens
    /// when it arrives.
    package func send(from: TransportAddress, to: TransportAddress, bytes: [UInt8], now: Instant) {
        sentCount += 1
        var source = from
        let sourceNAT = nat(forPrivate: from.ip)
        if let n = nat(forPrivate: to.ip), n !== sourceNAT {
            // A private address behind another NAT is not routable from here.
            filteredCount += 1
            return
        }
        if let n = sourceNAT, !n.privateIPs.contains(to.ip) {
            source = n.outbound(from: from, to: to)
        }
        let c = conditions(from: from.ip, to: to.ip)
        if c.blocked || (c.loss > 0 && random.unit() < c.loss) {
            lostCount += 1
            return
        }
        var departure = now
        if let rate = c.rateBytesPerSecond, rate > 0 {
            let key = "\(from.ip)>\(to.ip)"
            let start = max(now, busyUntil[key] ?? now)
            if start - now > c.maxQueueDelay {
                lostCount += 1
                return
            }
            departure = start + .nanoseconds(Int64(bytes.count) * 1_000_000_000 / Int64(rate))
            busyUntil[key] = departure
        }
        let copies = c.duplicate > 0 && random.unit() < c.duplicate ? 2 : 1
        for _ in 0..<copies {
            var at = departure + c.delay
            if c.jitter > .zero { at = at + .nanoseconds(Int64(random.unit() * Double(c.jitter.nanoseconds))) }
            if c.reorder > 0 && random.unit() < c.reorder { at = at + c.reorderDelay }
            sequence += 1
            heap.push(.init(at: at, seq: sequence, datagram: SimulatedDatagram(to: to, from: source, bytes: bytes)))
        }
    }

    /// When the next datagram arrives, if any is in flight.
    package func nextDeliveryTime() -> Instant? { heap.peek()?.at }

    /// Datagrams in flight.
    package var inFlight: Int { heap.count }

    /// Every datagram that arrives up to `now`, in arrival order, after NAT filtering; datagrams
    /// for services are answered here (their answers may also arrive by `now`).
    package func deliver(upTo now: Instant) -> [SimulatedDatagram] {
        var out: [SimulatedDatagram] = []
        while let next = heap.peek(), next.at <= now {
            _ = heap.pop()
            var d = next.datagram
            if let n = nat(forPublic: d.to.ip) {
                guard let inside = n.inbound(from: d.from, toPort: d.to.port) else { filteredCount += 1; continue }
                d.to = inside
            }
            if let s = services[d.to] {
                s.handle(d.bytes, from: d.from, to: d.to, now: next.at, network: self)
                continue
            }
            deliveredCount += 1
            out.append(d)
        }
        return out
    }
}

/// A binary min-heap of datagrams by (arrival time, send order).
struct DeliveryHeap {
    struct Entry { var at: Instant; var seq: UInt64; var datagram: SimulatedDatagram }
    private var items: [Entry] = []
    var count: Int { items.count }

    private func less(_ a: Int, _ b: Int) -> Bool {
        items[a].at < items[b].at || (items[a].at == items[b].at && items[a].seq < items[b].seq)
    }

    func peek() -> Entry? { items.first }

    mutating func push(_ e: Entry) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, less(l, m) { m = l }
            if r < items.count, less(r, m) { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}
