import WebRTCCore
import WebRTCICE
import WebRTCSDP

/// Converts between the ICE agent's candidates and the SDP model's RFC 8839 candidates: the one
/// candidate serializer is the SDP module's.
package enum CandidateMapping {
    /// The SDP form of a local candidate.
    package static func attribute(from c: ICECandidate, ufrag: String) -> CandidateAttribute {
        let type: CandidateType = switch c.type {
        case .host: .host
        case .srflx: .srflx
        case .prflx: .prflx
        case .relay: .relay
        }
        return CandidateAttribute(foundation: c.foundation, component: c.component, transport: c.transport, priority: c.priority,
                                  address: c.address.ip.description, port: c.address.port, type: type,
                                  relatedAddress: c.relatedAddress?.ip.description, relatedPort: c.relatedAddress?.port,
                                  tcpType: c.tcpType,
                                  extensions: [CandidateExtension("generation", "0"), CandidateExtension("ufrag", ufrag)])
    }

    /// The agent's form of a remote candidate; nil for what we cannot use (TCP, mDNS names —
    /// those peers are reached through peer-reflexive candidates from their checks).
    package static func iceCandidate(from a: CandidateAttribute) -> ICECandidate? {
        guard a.transport.lowercased() == "udp", a.component == 1, let ip = IPAddress(a.address) else { return nil }
        let type: ICECandidateType = switch a.type {
        case .host: .host
        case .srflx: .srflx
        case .prflx: .prflx
        case .relay: .relay
        }
        var related: TransportAddress?
        if let ra = a.relatedAddress, let rip = IPAddress(ra), let rp = a.relatedPort { related = TransportAddress(ip: rip, port: rp) }
        return ICECandidate(foundation: a.foundation, component: a.component, transport: "udp", priority: a.priority,
                            address: TransportAddress(ip: ip, port: a.port), type: type, relatedAddress: related, tcpType: nil)
    }
}
