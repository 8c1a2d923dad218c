/// `a=rtpmap:<pt> <encoding>/<clock>[/<params>]` (RFC 8866 §6.6).
package struct SDPRtpMap: Equatable, Sendable {
    /// Payload type, 0...127.
    package var payloadType: UInt8
    /// Encoding name as written, e.g. "opus", "VP8", "H264".
    package var encodingName: String
    /// Clock rate in Hz.
    package var clockRate: UInt32
    /// Encoding parameters (the channel count for audio), if written.
    package var encodingParameters: UInt32?

    /// Creates an rtpmap.
    package init(payloadType: UInt8, encodingName: String, clockRate: UInt32, encodingParameters: UInt32? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.encodingParameters = encodingParameters
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPRtpMap {
        let w = SDPTokens.words(v)
        guard w.count == 2 else { throw SDPValueError("rtpmap must be <pt> <encoding>/<clock rate>[/<params>]") }
        let pt = try payloadType(w[0])
        let parts = w[1].utf8.split(separator: 0x2F, omittingEmptySubsequences: false).map { Substring($0) }
        guard parts.count == 2 || parts.count == 3, SDPTokens.isToken(parts[0]) else {
            throw SDPValueError("rtpmap encoding '\(w[1])' must be <name>/<clock rate>[/<params>]")
        }
        guard let clock = SDPTokens.unsigned(parts[1], as: UInt32.self) else {
            throw SDPValueError("rtpmap clock rate '\(parts[1])' is not a number")
        }
        var params: UInt32?
        if parts.count == 3 {
            guard let p = SDPTokens.unsigned(parts[2], as: UInt32.self) else {
                throw SDPValueError("rtpmap encoding parameters '\(parts[2])' are not a number")
            }
            params = p
        }
        return SDPRtpMap(payloadType: pt, encodingName: String(parts[0]), clockRate: clock, encodingParameters: params)
    }

    static func payloadType(_ s: Substring) throws(SDPValueError) -> UInt8 {
        guard let pt = SDPTokens.unsigned(s, as: UInt8.self), pt <= 127 else {
            throw SDPValueError("payload type '\(s)' must be 0-127")
        }
        return pt
    }

    var text: String {
        var s = "\(payloadType) \(encodingName)/\(clockRate)"
        if let encodingParameters { s += "/\(encodingParameters)" }
        return s
    }
}

/// `a=fmtp:<format> <parameters>` (RFC 8866 §6.15); parameters are kept verbatim.
package struct SDPFmtp: Equatable, Sendable {
    /// The format (payload type) it applies to.
    package var format: String
    /// Format-specific parameters as written, e.g. "minptime=10;useinbandfec=1".
    package var parameters: String

    /// Creates an fmtp attribute.
    package init(format: String, parameters: String) {
        self.format = format
        self.parameters = parameters
    }

    /// `parameters` split on ";" into key=value pairs (a bare key has an empty value).
    package var parameterList: [(key: String, value: String)] {
        parameters.utf8.split(separator: 0x3B).compactMap { item in
            let t = SDPTokens.trimSpaces(Substring(item))
            guard !t.isEmpty else { return nil }
            if let (k, v) = SDPTokens.splitOnce(t, at: 0x3D) { return (String(k), String(v)) }
            return (String(t), "")
        }
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPFmtp {
        let t = SDPTokens.trimSpaces(v)
        guard let (f, p) = SDPTokens.splitOnce(t, at: 0x20) else {
            guard SDPTokens.isToken(t) else { throw SDPValueError("fmtp must be <format> <parameters>") }
            return SDPFmtp(format: String(t), parameters: "")
        }
        guard SDPTokens.isToken(f) else { throw SDPValueError("fmtp format '\(f)' is not a token") }
        return SDPFmtp(format: String(f), parameters: String(SDPTokens.trimSpaces(p)))
    }

    var text: String { parameters.isEmpty ? format : "\(format) \(parameters)" }
}

/// `a=rtcp-fb:<pt|*> <type> [<parameters>]` (RFC 4585 §4.2).
package struct SDPRtcpFeedback: Equatable, Sendable {
    /// Payload type or "*".
    package var payloadType: String
    /// Feedback type, e.g. "nack", "ccm", "goog-remb", "transport-cc".
    package var type: String
    /// The rest, e.g. "pli" or "fir", words joined by single spaces.
    package var parameter: String?

    /// Creates an rtcp-fb attribute.
    package init(payloadType: String, type: String, parameter: String? = nil) {
        self.payloadType = payloadType
        self.type = type
        self.parameter = parameter
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPRtcpFeedback {
        let w = SDPTokens.words(v)
        guard w.count >= 2, SDPTokens.isToken(w[0]), SDPTokens.isToken(w[1]) else {
            throw SDPValueError("rtcp-fb must be <pt> <type> [<parameter>]")
        }
        let rest = w.dropFirst(2).joined(separator: " ")
        return SDPRtcpFeedback(payloadType: String(w[0]), type: String(w[1]), parameter: rest.isEmpty ? nil : rest)
    }

    var text: String { parameter.map { "\(payloadType) \(type) \($0)" } ?? "\(payloadType) \(type)" }
}

/// `a=extmap:<id>[/<direction>] <uri> [<attributes>]` (RFC 8285 §8).
package struct SDPExtmap: Equatable, Sendable {
    /// Extension id, 1...14 (one-byte) or up to 255 (two-byte), 4096-4351 in offers.
    package var id: UInt16
    /// Optional direction.
    package var direction: SDPDirection?
    /// Extension URI.
    package var uri: String
    /// Extension attributes, words joined by single spaces.
    package var attributes: String?

    /// Creates an extmap attribute.
    package init(id: UInt16, direction: SDPDirection? = nil, uri: String, attributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.attributes = attributes
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPExtmap {
        let w = SDPTokens.words(v)
        guard w.count >= 2 else { throw SDPValueError("extmap must be <id>[/<direction>] <uri>") }
        var idPart = w[0]
        var direction: SDPDirection?
        if let (i, d) = SDPTokens.splitOnce(w[0], at: 0x2F) {
            guard let dir = SDPDirection(rawValue: String(d)) else {
                throw SDPValueError("extmap direction '\(d)' is not sendrecv/sendonly/recvonly/inactive")
            }
            idPart = i
            direction = dir
        }
        guard let id = SDPTokens.unsigned(idPart, as: UInt16.self), id >= 1 else {
            throw SDPValueError("extmap id '\(idPart)' is not a number 1-65535")
        }
        let rest = w.dropFirst(2).joined(separator: " ")
        return SDPExtmap(id: id, direction: direction, uri: String(w[1]), attributes: rest.isEmpty ? nil : rest)
    }

    var text: String {
        var s = "\(id)"
        if let direction { s += "/\(direction.rawValue)" }
        s += " \(uri)"
        if let attributes { s += " \(attributes)" }
        return s
    }
}

/// `a=ssrc:<ssrc> <attribute>[:<value>]` (RFC 5576 §4.1).
package struct SDPSsrc: Equatable, Sendable {
    /// The synchronisation source.
    package var ssrc: UInt32
    /// Source attribute name, e.g. "cname", "msid".
    package var attribute: String
    /// Its value, verbatim (may contain spaces).
    package var value: String?

    /// Creates an ssrc attribute.
    package init(ssrc: UInt32, attribute: String, value: String? = nil) {
        self.ssrc = ssrc
        self.attribute = attribute
        self.value = value
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPSsrc {
        let t = SDPTokens.trimSpaces(v)
        guard let (id, rest0) = SDPTokens.splitOnce(t, at: 0x20) else {
            throw SDPValueError("ssrc must be <ssrc> <attribute>[:<value>]")
        }
        guard let ssrc = SDPTokens.unsigned(id, as: UInt32.self) else {
            throw SDPValueError("ssrc '\(id)' is not a 32-bit number")
        }
        let rest = SDPTokens.trimSpaces(rest0)
        if let (name, value) = SDPTokens.splitOnce(rest, at: 0x3A) {
            guard SDPTokens.isToken(name) else { throw SDPValueError("ssrc attribute name '\(name)' is not a token") }
            return SDPSsrc(ssrc: ssrc, attribute: String(name), value: String(value))
        }
        guard SDPTokens.isToken(rest) else { throw SDPValueError("ssrc attribute name '\(rest)' is not a token") }
        return SDPSsrc(ssrc: ssrc, attribute: String(rest), value: nil)
    }

    var text: String { value.map { "\(ssrc) \(attribute):\($0)" } ?? "\(ssrc) \(attribute)" }
}

/// `a=ssrc-group:<semantics> <ssrc>...` (RFC 5576 §4.2).
package struct SDPSsrcGroup: Equatable, Sendable {
    /// "FID", "SIM", "FEC-FR", …
    package var semantics: String
    /// The grouped sources.
    package var ssrcs: [UInt32]

    /// Creates an ssrc-group attribute.
    package init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPSsrcGroup {
        let w = SDPTokens.words(v)
        guard let first = w.first, SDPTokens.isToken(first) else { throw SDPValueError("ssrc-group must be <semantics> <ssrc>...") }
        var ssrcs: [UInt32] = []
        for s in w.dropFirst() {
            guard let n = SDPTokens.unsigned(s, as: UInt32.self) else {
                throw SDPValueError("ssrc-group member '\(s)' is not a 32-bit number")
            }
            ssrcs.append(n)
        }
        return SDPSsrcGroup(semantics: String(first), ssrcs: ssrcs)
    }

    var text: String { ([semantics] + ssrcs.map(String.init)).joined(separator: " ") }
}
