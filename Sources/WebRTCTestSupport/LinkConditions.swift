import WebRTCCore

/// How a simulated link treats datagrams: loss, delay with jitter, duplication, reordering and a
/// rate limit with a bounded queue.
package struct LinkConditions: Sendable {
    /// Probability in [0, 1] that a datagram is lost.
    package var loss: Double = 0
    /// One-way base delay.
    package var delay: Duration = .milliseconds(5)
    /// Extra delay drawn uniformly from [0, jitter] (reorders datagrams when larger than their spacing).
    package var jitter: Duration = .zero
    /// Probability that a datagram is delivered twice.
    package var duplicate: Double = 0
    /// Probability that a datagram is held back by `reorderDelay` (explicit reordering).
    package var reorder: Double = 0
    package var reorderDelay: Duration = .milliseconds(20)
    /// Bytes per second the link serializes; nil = unlimited.
    package var rateBytesPerSecond: Int?
    /// Queueing delay beyond which a rate-limited link drops (tail drop).
    package var maxQueueDelay: Duration = .milliseconds(200)
    /// A cut link drops everything.
    package var blocked = false

    package init(loss: Double = 0, delay: Duration = .milliseconds(5), jitter: Duration = .zero, duplicate: Double = 0,
                 reorder: Double = 0, rateBytesPerSecond: Int? = nil, blocked: Bool = false) {
        self.loss = loss
        self.delay = delay
        self.jitter = jitter
        self.duplicate = duplicate
        self.reorder = reorder
        self.rateBytesPerSecond = rateBytesPerSecond
        self.blocked = blocked
    }
}

/// RFC 4787 NAT behaviour: how mappings are made and which inbound datagrams pass.
package struct NATBehavior: Sendable, Equatable {
    package enum Mapping: Sendable, Equatable { case endpointIndependent, addressDependent, addressAndPortDependent }
    package enum Filtering: Sendable, Equatable { case endpointIndependent, addressDependent, addressAndPortDependent }

    package var mapping: Mapping
    package var filtering: Filtering

    package init(mapping: Mapping, filtering: Filtering) {
        self.mapping = mapping
        self.filtering = filtering
    }

    /// Endpoint-independent mapping and filtering ("full cone").
    package static let fullCone = NATBehavior(mapping: .endpointIndependent, filtering: .endpointIndependent)
    /// Endpoint-independent mapping, address-and-port-dependent filtering ("port restricted cone").
    package static let portRestricted = NATBehavior(mapping: .endpointIndependent, filtering: .addressAndPortDependent)
    /// Address-and-port-dependent mapping and filtering ("symmetric").
    package static let symmetric = NATBehavior(mapping: .addressAndPortDependent, filtering: .addressAndPortDependent)
}

/// A datagram handed to a simulated host.
package struct SimulatedDatagram: Sendable, Equatable {
    package var to: TransportAddress
    package var from: TransportAddress
    package var bytes: [UInt8]
}

/// Something that lives at an address inside the network and answers datagrams (a STUN or TURN
/// server). Replies are sent from the address the datagram was sent to unless `from` says otherwise.
package protocol SimulatedService: AnyObject {
    func handle(_ bytes: [UInt8], from: TransportAddress, to: TransportAddress, now: Instant, network: SimulatedNetwork)
}
