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

        switch name {
        case "mid": return .mid(try single())
        case "ice-ufrag": return .iceUfrag(try single())
        case "ice-pwd": return .icePwd(try single())
        case "group":
            let w = SDPTokens.words(try required())
            guard let s = w.first, SDPTokens.isToken(s) else { throw SDPValueError("a=group needs a semantics token") }
            return .group(semantics: String(s), ids: w.dropFirst().map(String.init))
        case "ice-options":
            let w = SDPTokens.words(try required())
            guard !w.isEmpty else { throw SDPValueError("a=ice-options needs at least one option") }
            return .iceOptions(w.map(String.init))
        case "ice-lite": return try flag(.iceLite)
        case "end-of-candidates": return try flag(.endOfCandidates)
        case "rtcp-mux": return try flag(.rtcpMux)
        case "rtcp-rsize": return try flag(.rtcpRsize)
        case "extmap-allow-mixed": return try flag(.extmapAllowMixed)
        case "sendrecv": return try flag(.direction(.sendrecv))
        case "sendonly": return try flag(.direction(.sendonly))
        case "recvonly": return try flag(.direction(.recvonly))
        case "inactive": return try flag(.direction(.inactive))
        case "fingerprint": return .fingerprint(try SDPFingerprint.parse(try required()))
        case "setup":
            let v = try single()
            guard let role = SDPSetupRole(rawValue: v.lowercased()) else {
                throw SDPValueError("a=setup '\(v)' must be actpass, active, passive or holdconn")
            }
            return .setup(role)
        case "candidate": return .candidate(try CandidateAttribute.parseValue(try required()))
        case "rtcp": return .rtcp(try SDPRtcp.parse(try required()))
        case "rtpmap": return .rtpmap(try SDPRtpMap.parse(try required()))
        case "fmtp": return .fmtp(try SDPFmtp.parse(try required()))
        case "rtcp-fb": return .rtcpFb(try SDPRtcpFeedback.parse(try required()))
        case "extmap": return .extmap(try SDPExtmap.parse(try required()))
        case "ssrc": return .ssrc(try SDPSsrc.parse(try required()))
        case "ssrc-group": return .ssrcGroup(try SDPSsrcGroup.parse(try required()))
        case "rid": return .rid(try SDPRid.parse(try required()))
        case "simulcast": return .simulcast(try SDPSimulcast.parse(try required()))
        case "msid": return .msid(try SDPMsid.parse(try required()))
        case "msid-semantic": return .msidSemantic(try SDPMsidSemantic.parse(try required()))
        case "sctp-port":
            let v = try single()
            guard let p = SDPTokens.unsigned(Substring(v), as: UInt16.self) else {
                throw SDPValueError("a=sctp-port '\(v)' is not 0-65535")
            }
            return .sctpPort(p)
        case "max-message-size":
            let v = try single()
            guard let m = SDPTokens.unsigned(Substring(v), as: UInt64.self) else {
                throw SDPValueError("a=max-message-size '\(v)' is not a number")
            }
            return .maxMessageSize(m)
        default:
            return .other(name: String(name), value: value.map(String.init))
        }
    }
}
