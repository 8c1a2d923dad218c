import WebRTCCore
import WebRTCICE
import WebRTCSDP

/// Converts between the ICE agent's candidates and RFC 8839 `candidate:` strings.
enum CandidateMapping {
    /// The `candidate:` attribute value for a local candidate (no `a=` prefix).
    static func attribute(from c: ICECandidate, ufrag: String) -> String {
        var s = "candidate:\(c.foundation) \(c.component) \(c.transport) \(c.priority) \(c.address.ip) \(c.address.port) typ \(c.type.rawValue)"
        if let r = c.relatedAddress { s += " raddr \(r.ip) rport \(r.port)" }
        if let t = c.tcpType { s += " tcptype \(t)" }
        s += " generation 0 ufrag \(ufrag)"
        return s
    }

    /// The agent's form of a remote candidate; nil for what we cannot use (TCP, mDNS names —
    /// those peers are reached through peer-reflexive candidates from their checks).
    static func iceCandidate(from a: CandidateAttribute) -> ICECandidate? {
        guard a.transport == "udp", a.component == 1, let ip = IPAddress(a.address) else { return nil }
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
