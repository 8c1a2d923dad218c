/// The attribute names `SDPAttribute.parse` types.
private enum KnownAttribute: String, CaseIterable {
    case mid = "mid"
    case iceUfrag = "ice-ufrag"
    case icePwd = "ice-pwd"
    case group = "group"
    case iceOptions = "ice-options"
    case iceLite = "ice-lite"
    case endOfCandidates = "end-of-candidates"
    case rtcpMux = "rtcp-mux"
    case rtcpRsize = "rtcp-rsize"
    case extmapAllowMixed = "extmap-allow-mixed"
    case sendrecv = "sendrecv"
    case sendonly = "sendonly"
    case recvonly = "recvonly"
    case inactive = "inactive"
    case fingerprint = "fingerprint"
    case setup = "setup"
    case candidate = "candidate"
    case rtcp = "rtcp"
    case rtpmap = "rtpmap"
    case fmtp = "fmtp"
    case rtcpFb = "rtcp-fb"
    case extmap = "extmap"
    case ssrc = "ssrc"
    case ssrcGroup = "ssrc-group"
    case rid = "rid"
    case simulcast = "simulcast"
    case msid = "msid"
    case msidSemantic = "msid-semantic"
    case sctpPort = "sctp-port"
    case maxMessageSize = "max-message-size"

    /// One hash lookup instead of a chain of string comparisons.
    static let byName: [String: KnownAttribute] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

extension SDPAttribute {
    /// Parses the text after "a=". Known attributes are checked against their grammar; a
    /// malformed known attribute is an error (as in browsers), an unknown one is kept verbatim.
    static func parse(_ text: Substring) throws(SDPValueError) -> SDPAttribute {
        let name: Substring
        let value: Substring?
        if let (n, v) = SDPTokens.splitOnce(text, at: 0x3A) {
            name = n
            value = v
        } else {
            name = text
            value = nil
        }
        guard SDPTokens.isToken(name) else {
            throw SDPValueError("attribute name '\(name)' is not a token")
        }

        func required() throws(SDPValueError) -> Substring {
            guard let value else { throw SDPValueError("a=\(name) needs a value") }
            return value
        }
        func flag(_ a: SDPAttribute) throws(SDPValueError) -> SDPAttribute {
            guard value == nil else { throw SDPValueError("a=\(name) takes no value") }
            return a
        }
        func single() throws(SDPValueError) -> String {
            let w = SDPTokens.words(try required())
            guard w.count == 1, SDPTokens.isVisible(w[0]) else {
                throw SDPValueError("a=\(name) must be a single non-empty word")
            }
            return String(w[0])
        }

        guard let kind = KnownAttribute.byName[String(name)] else {
            return .other(name: String(name), value: value.map(String.init))
        }
        switch kind {
        case .mid: return .mid(try single())
        case .iceUfrag: return .iceUfrag(try single())
        case .icePwd: return .icePwd(try single())
        case .group:
            let w = SDPTokens.words(try required())
            guard let s = w.first, SDPTokens.isToken(s) else { throw SDPValueError("a=group needs a semantics token") }
            return .group(semantics: String(s), ids: w.dropFirst().map(String.init))
        case .iceOptions:
            let w = SDPTokens.words(try required())
            guard !w.isEmpty else { throw SDPValueError("a=ice-options needs at least one option") }
            return .iceOptions(w.map(String.init))
        case .iceLite: return try flag(.iceLite)
        case .endOfCandidates: return try flag(.endOfCandidates)
        case .rtcpMux: return try flag(.rtcpMux)
        case .rtcpRsize: return try flag(.rtcpRsize)
        case .extmapAllowMixed: return try flag(.extmapAllowMixed)
        case .sendrecv: return try flag(.direction(.sendrecv))
        case .sendonly: return try flag(.direction(.sendonly))
        case .recvonly: return try flag(.direction(.recvonly))
        case .inactive: return try flag(.direction(.inactive))
        case .fingerprint: return .fingerprint(try SDPFingerprint.parse(try required()))
        case .setup:
            let v = try single()
            guard let role = SDPSetupRole(rawValue: v.lowercased()) else {
                throw SDPValueError("a=setup '\(v)' must be actpass, active, passive or holdconn")
            }
            return .setup(role)
        case .candidate: return .candidate(try CandidateAttribute.parseValue(try required()))
        case .rtcp: return .rtcp(try SDPRtcp.parse(try required()))
        case .rtpmap: return .rtpmap(try SDPRtpMap.parse(try required()))
        case .fmtp: return .fmtp(try SDPFmtp.parse(try required()))
        case .rtcpFb: return .rtcpFb(try SDPRtcpFeedback.parse(try required()))
        case .extmap: return .extmap(try SDPExtmap.parse(try required()))
        case .ssrc: return .ssrc(try SDPSsrc.parse(try required()))
        case .ssrcGroup: return .ssrcGroup(try SDPSsrcGroup.parse(try required()))
        case .rid: return .rid(try SDPRid.parse(try required()))
        case .simulcast: return .simulcast(try SDPSimulcast.parse(try required()))
        case .msid: return .msid(try SDPMsid.parse(try required()))
        case .msidSemantic: return .msidSemantic(try SDPMsidSemantic.parse(try required()))
        case .sctpPort:
            let v = try single()
            guard let p = SDPTokens.unsigned(Substring(v), as: UInt16.self) else {
                throw SDPValueError("a=sctp-port '\(v)' is not 0-65535")
            }
            return .sctpPort(p)
        case .maxMessageSize:
            let v = try single()
            guard let m = SDPTokens.unsigned(Substring(v), as: UInt64.self) else {
                throw SDPValueError("a=max-message-size '\(v)' is not a number")
            }
            return .maxMessageSize(m)
        }
    }
}
