import WebRTCSDP

/// What our side puts into every description it writes.
struct LocalTransportParameters {
    var iceUfrag: String
    var icePwd: String
    /// `sha-256 AB:CD:…` values, one per certificate.
    var fingerprints: [(algorithm: String, value: String)]
    var sessionID: UInt64
    var sessionVersion: UInt64
    var sctpPort: UInt16 = 5000
    var maxMessageSize: UInt64
}

/// One m-section of a description we write.
struct LocalMediaSection {
    enum Kind { case data, rejected(kind: String, proto: String, formats: [String]) }
    var kind: Kind
    var mid: String
    var setup: SDPSetupRole
}

/// Writes our offers and answers as SDP text (RFC 9429 §5.2, §5.3; RFC 8841 for data).
enum SDPWriter {
    /// The full description text, with candidates gathered so far (webrtc-pc §4.4.1.6: the local
    /// description reflects gathered candidates) and `a=end-of-candidates` once gathering is complete.
    static func write(_ p: LocalTransportParameters, sections: [LocalMediaSection], candidates: [String], gatheringComplete: Bool) -> String {
        var lines = [
            "v=0",
            "o=- \(p.sessionID) \(p.sessionVersion) IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
        ]
        let bundled = sections.filter { if case .data = $0.kind { return true } else { return false } }.map(\.mid)
        if !bundled.isEmpty { lines.append("a=group:BUNDLE " + bundled.joined(separator: " ")) }
        lines.append("a=msid-semantic: WMS")
        var first = true
        for s in sections {
            switch s.kind {
            case .rejected(let kind, let proto, let formats):
                // RFC 9429 §5.3.1: a rejected m-section has port 0 and keeps its mid.
                lines.append("m=\(kind) 0 \(proto) \(formats.joined(separator: " "))")
                lines.append("c=IN IP4 0.0.0.0")
                lines.append("a=mid:\(s.mid)")
                lines.append("a=inactive")
            case .data:
                lines.append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel")
                lines.append("c=IN IP4 0.0.0.0")
                if first {
                    for c in candidates { lines.append("a=" + c) }
                    if gatheringComplete { lines.append("a=end-of-candidates") }
                }
                lines.append("a=ice-ufrag:\(p.iceUfrag)")
                lines.append("a=ice-pwd:\(p.icePwd)")
                lines.append("a=ice-options:trickle")
                for f in p.fingerprints { lines.append("a=fingerprint:\(f.algorithm) \(f.value)") }
                lines.append("a=setup:\(s.setup.rawValue)")
                lines.append("a=mid:\(s.mid)")
                lines.append("a=sctp-port:\(p.sctpPort)")
                lines.append("a=max-message-size:\(p.maxMessageSize)")
                first = false
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
