/// One `a=` line, typed when WebRTC uses it, verbatim otherwise.
///
/// Typed values are normalised on output (single spaces, upper-case fingerprint hex), so
/// `parse → serialize → parse` gives an equal model; `.other` keeps name and value byte for byte.
package enum SDPAttribute: Equatable, Sendable {
    /// `a=mid:<id>` (RFC 5888 §4).
    case mid(String)
    /// `a=group:<semantics> <id>...` (RFC 5888 §5), e.g. BUNDLE.
    case group(semantics: String, ids: [String])
    /// `a=ice-ufrag` (RFC 8839 §5.4).
    case iceUfrag(String)
    /// `a=ice-pwd` (RFC 8839 §5.4).
    case icePwd(String)
    /// `a=ice-options:<option>...` (RFC 8839 §5.6), e.g. "trickle".
    case iceOptions([String])
    /// `a=ice-lite` (RFC 8839 §5.3).
    case iceLite
    /// `a=fingerprint` (RFC 8122 §5).
    case fingerprint(SDPFingerprint)
    /// `a=setup` (RFC 4145 §4).
    case setup(SDPSetupRole)
    /// `a=candidate` (RFC 8839 §5.1).
    case candidate(CandidateAttribute)
    /// `a=end-of-candidates` (RFC 8840 §8.2).
    case endOfCandidates
    /// `a=rtcp` (RFC 3605).
    case rtcp(SDPRtcp)
    /// `a=rtcp-mux` (RFC 5761 §5.1.3).
    case rtcpMux
    /// `a=rtcp-rsize` (RFC 5506 §5).
    case rtcpRsize
    /// `a=rtpmap`.
    case rtpmap(SDPRtpMap)
    /// `a=fmtp`.
    case fmtp(SDPFmtp)
    /// `a=rtcp-fb`.
    case rtcpFb(SDPRtcpFeedback)
    /// `a=extmap`.
    case extmap(SDPExtmap)
    /// `a=ssrc`.
    case ssrc(SDPSsrc)
    /// `a=ssrc-group`.
    case ssrcGroup(SDPSsrcGroup)
    /// `a=rid`.
    case rid(SDPRid)
    /// `a=simulcast`.
    case simulcast(SDPSimulcast)
    /// `a=sctp-port` (RFC 8841 §5.1).
    case sctpPort(UInt16)
    /// `a=max-message-size` (RFC 8841 §6.1); 0 means no limit.
    case maxMessageSize(UInt64)
    /// `a=sendrecv` / `sendonly` / `recvonly` / `inactive`.
    case direction(SDPDirection)
    /// `a=extmap-allow-mixed` (RFC 8285 §6).
    case extmapAllowMixed
    /// `a=msid` (RFC 8830).
    case msid(SDPMsid)
    /// `a=msid-semantic`.
    case msidSemantic(SDPMsidSemantic)
    /// Any other attribute, verbatim: `a=<name>` (value nil) or `a=<name>:<value>`.
    case other(name: String, value: String?)

    /// The attribute name as written after "a=".
    package var name: String {
        switch self {
        case .mid: "mid"
        case .group: "group"
        case .iceUfrag: "ice-ufrag"
        case .icePwd: "ice-pwd"
        case .iceOptions: "ice-options"
        case .iceLite: "ice-lite"
        case .fingerprint: "fingerprint"
        case .setup: "setup"
        case .candidate: "candidate"
        case .endOfCandidates: "end-of-candidates"
        case .rtcp: "rtcp"
        case .rtcpMux: "rtcp-mux"
        case .rtcpRsize: "rtcp-rsize"
        case .rtpmap: "rtpmap"
        case .fmtp: "fmtp"
        case .rtcpFb: "rtcp-fb"
        case .extmap: "extmap"
        case .ssrc: "ssrc"
        case .ssrcGroup: "ssrc-group"
        case .rid: "rid"
        case .simulcast: "simulcast"
        case .sctpPort: "sctp-port"
        case .maxMessageSize: "max-message-size"
        case .direction(let d): d.rawValue
        case .extmapAllowMixed: "extmap-allow-mixed"
        case .msid: "msid"
        case .msidSemantic: "msid-semantic"
        case .other(let name, _): name
        }
    }

    /// The value after "name:", or nil for a flag attribute.
    package var value: String? {
        switch self {
        case .mid(let v), .iceUfrag(let v), .icePwd(let v): v
        case .group(let s, let ids): ([s] + ids).joined(separator: " ")
        case .iceOptions(let o): o.joined(separator: " ")
        case .iceLite, .endOfCandidates, .rtcpMux, .rtcpRsize, .direction, .extmapAllowMixed: nil
        case .fingerprint(let f): f.text
        case .setup(let r): r.rawValue
        case .candidate(let c): c.valueText
        case .rtcp(let r): r.text
        case .rtpmap(let r): r.text
        case .fmtp(let f): f.text
        case .rtcpFb(let f): f.text
        case .extmap(let e): e.text
        case .ssrc(let s): s.text
        case .ssrcGroup(let g): g.text
        case .rid(let r): r.text
        case .simulcast(let s): s.text
        case .sctpPort(let p): String(p)
        case .maxMessageSize(let m): String(m)
        case .msid(let m): m.text
        case .msidSemantic(let m): m.text
        case .other(_, let v): v
        }
    }

    /// The whole line without "a=" and without a line ending.
    package var text: String {
        guard let value else { return name }
        return "\(name):\(value)"
    }
}
