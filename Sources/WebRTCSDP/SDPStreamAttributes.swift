/// `a=rid:<id> <send|recv> [<restrictions>]` (RFC 8851 §4).
package struct SDPRid: Equatable, Sendable {
    /// RTP stream id.
    package var id: String
    /// "send" or "recv".
    package var direction: String
    /// Restrictions as written, e.g. "pt=96;max-width=1280".
    package var restrictions: String?

    /// Creates a rid attribute.
    package init(id: String, direction: String, restrictions: String? = nil) {
        self.id = id
        self.direction = direction
        self.restrictions = restrictions
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPRid {
        let w = SDPTokens.words(v)
        guard w.count >= 2 else { throw SDPValueError("rid must be <id> <send|recv> [<restrictions>]") }
        guard w[0].utf8.allSatisfy({ SDPTokens.isAlphanumeric($0) || $0 == 0x2D || $0 == 0x5F }) else {
            throw SDPValueError("rid id '\(w[0])' must be letters, digits, '-' or '_'")
        }
        guard w[1] == "send" || w[1] == "recv" else { throw SDPValueError("rid direction '\(w[1])' must be send or recv") }
        let rest = w.dropFirst(2).joined(separator: " ")
        return SDPRid(id: String(w[0]), direction: String(w[1]), restrictions: rest.isEmpty ? nil : rest)
    }

    var text: String { restrictions.map { "\(id) \(direction) \($0)" } ?? "\(id) \(direction)" }
}

/// `a=simulcast:[send <streams>] [recv <streams>]` (RFC 8853 §5.1).
///
/// A stream list is `;`-separated streams, each a `,`-separated list of alternative rids
/// (a leading "~" marks a paused stream and is kept in the rid string).
package struct SDPSimulcast: Equatable, Sendable {
    /// Streams this side sends, or nil.
    package var send: [[String]]?
    /// Streams this side receives, or nil.
    package var recv: [[String]]?

    /// Creates a simulcast attribute.
    package init(send: [[String]]? = nil, recv: [[String]]? = nil) {
        self.send = send
        self.recv = recv
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPSimulcast {
        let w = SDPTokens.words(v)
        guard w.count == 2 || w.count == 4 else { throw SDPValueError("simulcast must be send/recv <streams> pairs") }
        var result = SDPSimulcast()
        var i = 0
        while i + 1 < w.count {
            let list = try streams(w[i + 1])
            switch w[i] {
            case "send" where result.send == nil: result.send = list
            case "recv" where result.recv == nil: result.recv = list
            default: throw SDPValueError("simulcast direction '\(w[i])' is not send or recv, or is repeated")
            }
            i += 2
        }
        return result
    }

    static func streams(_ s: Substring) throws(SDPValueError) -> [[String]] {
        var out: [[String]] = []
        for stream in s.utf8.split(separator: 0x3B, omittingEmptySubsequences: false) {
            var alts: [String] = []
            for alt in stream.split(separator: 0x2C, omittingEmptySubsequences: false) {
                guard !alt.isEmpty else { throw SDPValueError("simulcast stream list '\(s)' has an empty entry") }
                alts.append(String(Substring(alt)))
            }
            out.append(alts)
        }
        return out
    }

    var text: String {
        func list(_ l: [[String]]) -> String { l.map { $0.joined(separator: ",") }.joined(separator: ";") }
        var parts: [String] = []
        if let send { parts.append("send \(list(send))") }
        if let recv { parts.append("recv \(list(recv))") }
        return parts.joined(separator: " ")
    }
}

/// `a=msid:<stream id> [<track id>]` (RFC 8830 §2).
package struct SDPMsid: Equatable, Sendable {
    /// The MediaStream id ("-" for none).
    package var streamID: String
    /// The application data (track id), if any.
    package var trackID: String?

    /// Creates an msid attribute.
    package init(streamID: String, trackID: String? = nil) {
        self.streamID = streamID
        self.trackID = trackID
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPMsid {
        let w = SDPTokens.words(v)
        guard w.count == 1 || w.count == 2 else { throw SDPValueError("msid must be <stream id> [<track id>]") }
        return SDPMsid(streamID: String(w[0]), trackID: w.count == 2 ? String(w[1]) : nil)
    }

    var text: String { trackID.map { "\(streamID) \($0)" } ?? streamID }
}

/// `a=msid-semantic: <semantic> [<id>...]` (draft-ietf-mmusic-msid, as browsers write it).
package struct SDPMsidSemantic: Equatable, Sendable {
    /// Usually "WMS".
    package var semantic: String
    /// Stream ids or "*".
    package var identifiers: [String]

    /// Creates an msid-semantic attribute.
    package init(semantic: String, identifiers: [String] = []) {
        self.semantic = semantic
        self.identifiers = identifiers
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPMsidSemantic {
        let w = SDPTokens.words(v)
        guard let first = w.first else { throw SDPValueError("msid-semantic needs a semantic") }
        return SDPMsidSemantic(semantic: String(first), identifiers: w.dropFirst().map(String.init))
    }

    /// Written with a space after the colon, as libwebrtc writes and reads it.
    var text: String { ([" " + semantic] + identifiers).joined(separator: " ") }
}

/// `a=rtcp:<port> [<nettype> <addrtype> <address>]` (RFC 3605 §2.1).
package struct SDPRtcp: Equatable, Sendable {
    /// RTCP port.
    package var port: UInt16
    /// Optional address.
    package var connection: SDPConnection?

    /// Creates an rtcp attribute.
    package init(port: UInt16, connection: SDPConnection? = nil) {
        self.port = port
        self.connection = connection
    }

    static func parse(_ v: Substring) throws(SDPValueError) -> SDPRtcp {
        let w = SDPTokens.words(v)
        guard w.count == 1 || w.count == 4 else { throw SDPValueError("rtcp must be <port> [<nettype> <addrtype> <address>]") }
        guard let port = SDPTokens.unsigned(w[0], as: UInt16.self) else {
            throw SDPValueError("rtcp port '\(w[0])' is not 0-65535")
        }
        let c = w.count == 4 ? SDPConnection(netType: String(w[1]), addressType: String(w[2]), address: String(w[3])) : nil
        return SDPRtcp(port: port, connection: c)
    }

    var text: String { connection.map { "\(port) \($0.value)" } ?? "\(port)" }
}
