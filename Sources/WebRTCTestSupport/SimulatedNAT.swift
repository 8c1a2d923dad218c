import WebRTCCore

/// One NAT box: a public IP in front of some private IPs.
final class SimulatedNAT {
    let publicIP: IPAddress
    let behavior: NATBehavior
    var privateIPs: Set<IPAddress>
    var nextPort: UInt16 = 40000

    struct Mapping {
        var internalAddress: TransportAddress
        /// The destination the mapping was made for (address-dependent mappings key on it).
        var key: TransportAddress?
        var publicPort: UInt16
        /// Remote endpoints this mapping has sent to (for filtering).
        var contacted: Set<TransportAddress> = []
    }
    var mappings: [Mapping] = []

    init(publicIP: IPAddress, behavior: NATBehavior, privateIPs: Set<IPAddress>) {
        self.publicIP = publicIP
        self.behavior = behavior
        self.privateIPs = privateIPs
    }

    /// Translates an outbound datagram's source (RFC 4787 §4.1), creating a mapping if needed.
    func outbound(from src: TransportAddress, to dst: TransportAddress) -> TransportAddress {
        let key: TransportAddress?
        switch behavior.mapping {
        case .endpointIndependent: key = nil
        case .addressDependent: key = TransportAddress(ip: dst.ip, port: 0)
        case .addressAndPortDependent: key = dst
        }
        if let i = mappings.firstIndex(where: { $0.internalAddress == src && $0.key == key }) {
            mappings[i].contacted.insert(dst)
            return TransportAddress(ip: publicIP, port: mappings[i].publicPort)
        }
        let port = nextPort
        nextPort = nextPort == 65535 ? 40000 : nextPort + 1
        mappings.append(Mapping(internalAddress: src, key: key, publicPort: port, contacted: [dst]))
        return TransportAddress(ip: publicIP, port: port)
    }

    /// Translates an inbound datagram to the internal address, or nil when filtered (RFC 4787 §5).
    func inbound(from src: TransportAddress, toPort port: UInt16) -> TransportAddress? {
        guard let m = mappings.first(where: { $0.publicPort == port }) else { return nil }
        switch behavior.filtering {
        case .endpointIndependent: return m.internalAddress
        case .addressDependent: return m.contacted.contains { $0.ip == src.ip } ? m.internalAddress : nil
        case .addressAndPortDependent: return m.contacted.contains(src) ? m.internalAddress : nil
        }
    }
}
