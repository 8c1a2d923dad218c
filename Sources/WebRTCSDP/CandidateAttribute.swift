/// ICE candidate types (RFC 8445 §5.1.1).
package enum CandidateType: String, Hashable, Sendable, CaseIterable {
    /// An address on a local interface.
    case host
    /// Server reflexive: the NAT mapping seen by a STUN server.
    case srflx
    /// Peer reflexive: learned from a connectivity check.
    case prflx
    /// An address on a TURN server.
    case relay
}

/// One `name value` pair after the fixed fields of a candidate (RFC 8839 §5.1 `extension-att`).
package struct CandidateExtension: Hashable, Sendable {
    /// Extension name, e.g. "generation", "ufrag", "network-id", "network-cost".
    package var name: String
    /// Its value, verbatim.
    package var value: String

    /// Creates an extension pair.
    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An ICE candidate line (RFC 8839 §5.1), in SDP or trickled on its own.
///
/// `candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
///  [raddr <addr>] [rport <port>] [tcptype <t>] *(<name> <value>)`
package struct CandidateAttribute: Hashable, Sendable, CustomStringConvertible {
    /// 1 to 32 `ice-char`s.
    package var foundation: String
    /// Component id, 1 (RTP) or 2 (RTCP); 1...256 accepted.
    package var component: UInt16
    /// Lowercased transport, "udp" or "tcp" (other tokens kept).
    package var transport: String
    /// Candidate priority.
    package var priority: UInt32
    /// IP literal or FQDN (e.g. "<uuid>.local" for mDNS).
    package var address: String
    /// Port; 0 and 9 occur for TCP active candidates.
    package var port: UInt16
    /// host, srflx, prflx or relay.
    package var type: CandidateType
    /// `raddr`, if present.
    package var relatedAddress: String?
    /// `rport`, if present.
    package var relatedPort: UInt16?
    /// RFC 6544 `tcptype`: "active", "passive" or "so".
    package var tcpType: String?
    /// Every other extension pair, in order.
    package var extensions: [CandidateExtension]

    /// Creates a candidate.
    package init(foundation: String, component: UInt16, transport: String, priority: UInt32,
                 address: String, port: UInt16, type: CandidateType, relatedAddress: String? = nil,
                 relatedPort: UInt16? = nil, tcpType: String? = nil, extensions: [CandidateExtension] = []) {
        self.foundation = foundation
        self.component = component
        self.transport = transport.lowercased()
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.tcpType = tcpType
        self.extensions = extensions
    }

    /// The `ufrag` extension (the ICE generation's username fragment), if present.
    package var ufrag: String? { extensionValue("ufrag") }

    /// The `generation` extension as a number, if present and numeric.
    package var generation: UInt32? { extensionValue("generation").flatMap { UInt32($0) } }

    /// The value of the first extension named `name`.
    package func extensionValue(_ name: String) -> String? {
        extensions.first(where: { $0.name == name })?.value
    }

    /// True for an mDNS host name (RFC 8445 / draft-ietf-mmusic-mdns-ice-candidates): ends in ".local".
    package var isMDNS: Bool {
        address.utf8.count > 6 && address.lowercased().hasSuffix(".local")
    }

    /// "candidate:…" without "a=" and without a line ending.
    package var description: String { "candidate:" + valueText }

    /// The text after "candidate:".
    package var valueText: String {
        var s = "\(foundation) \(component) \(transport) \(priority) \(address) \(port) typ \(type.rawValue)"
        if let relatedAddress { s += " raddr \(relatedAddress)" }
        if let relatedPort { s += " rport \(relatedPort)" }
        if let tcpType { s += " tcptype \(tcpType)" }
        for e in extensions { s += " \(e.name) \(e.value)" }
        return s
    }

    /// Parses "candidate:…", "a=candidate:…" or the bare value. Errors are reported on line 1.
    package static func parse(_ text: String) throws(SDPParseError) -> CandidateAttribute {
        var s = Substring(text)
        // A trickled candidate may arrive with a line ending.
        while let last = s.utf8.last, last == 0x0A || last == 0x0D { s = Substring(s.utf8.dropLast()) }
        if s.utf8.starts(with: "a=".utf8) { s = Substring(s.utf8.dropFirst(2)) }
        if s.utf8.starts(with: "candidate:".utf8) { s = Substring(s.utf8.dropFirst(10)) }
        do {
            return try parseValue(s)
        } catch {
            throw SDPParseError(line: 1, reason: error.reason)
        }
    }

    /// Parses the value after "candidate:".
    static func parseValue(_ value: Substring) throws(SDPValueError) -> CandidateAttribute {
        guard value.utf8.count <= SDPLimits.maxCandidateBytes else {
            throw SDPValueError("candidate is longer than \(SDPLimits.maxCandidateBytes) bytes")
        }
        if value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw SDPValueError("candidate contains a control character")
        }
        let w = SDPTokens.words(value)
        guard w.count >= 8 else { throw SDPValueError("candidate needs at least 8 fields, found \(w.count)") }
        let foundation = w[0]
        guard foundation.utf8.count <= 32, !foundation.utf8.isEmpty, foundation.utf8.allSatisfy(SDPTokens.isIceChar) else {
            throw SDPValueError("candidate foundation '\(foundation)' must be 1-32 ice-chars")
        }
        // RFC 8839 §5.1: component-id = 1*5DIGIT, priority = 1*10DIGIT, port = 1*5DIGIT.
        guard w[1].utf8.count <= 5, let component = SDPTokens.unsigned(w[1], as: UInt16.self), (1...256).contains(component) else {
            throw SDPValueError("candidate component '\(w[1])' must be 1-256")
        }
        guard SDPTokens.isToken(w[2]) else { throw SDPValueError("candidate transport '\(w[2])' is not a token") }
        guard w[3].utf8.count <= 10, let priority = SDPTokens.unsigned(w[3], as: UInt32.self) else {
            throw SDPValueError("candidate priority '\(w[3])' is not a 32-bit number")
        }
        let address = w[4]
        guard SDPTokens.isVisible(address) else { throw SDPValueError("candidate address is empty") }
        guard w[5].utf8.count <= 5, let port = SDPTokens.unsigned(w[5], as: UInt16.self) else {
            throw SDPValueError("candidate port '\(w[5])' is not 0-65535")
        }
        guard w[6] == "typ" else { throw SDPValueError("expected 'typ' after the candidate port, found '\(w[6])'") }
        guard let type = CandidateType(rawValue: String(w[7])) else {
            throw SDPValueError("unknown candidate type '\(w[7])'")
        }
        var c = CandidateAttribute(foundation: String(foundation), component: component, transport: String(w[2]),
                                   priority: priority, address: String(address), port: port, type: type)
        var i = 8
        // Everything after the type is name/value pairs; raddr, rport and tcptype are typed.
        guard (w.count - i) % 2 == 0 else {
            throw SDPValueError("candidate extension '\(w[w.count - 1])' has no value")
        }
        guard (w.count - i) / 2 <= SDPLimits.maxCandidateExtensionPairs else {
            throw SDPValueError("candidate has more than \(SDPLimits.maxCandidateExtensionPairs) extension pairs")
        }
        while i + 1 < w.count {
            let name = w[i], v = w[i + 1]
            guard SDPTokens.isVisible(name) else { throw SDPValueError("bad candidate extension name") }
            switch name {
            case "raddr" where c.relatedAddress == nil:
                c.relatedAddress = String(v)
            case "rport" where c.relatedPort == nil:
                guard let p = SDPTokens.unsigned(v, as: UInt16.self) else {
                    throw SDPValueError("candidate rport '\(v)' is not 0-65535")
                }
                c.relatedPort = p
            case "tcptype" where c.tcpType == nil:
                // RFC 6544 §4.5
                guard v == "active" || v == "passive" || v == "so" else {
                    throw SDPValueError("candidate tcptype '\(v)' must be active, passive or so")
                }
                c.tcpType = String(v)
            case "raddr", "rport", "tcptype":
                throw SDPValueError("candidate repeats '\(name)'")
            default:
                c.extensions.append(CandidateExtension(String(name), String(v)))
            }
            i += 2
        }
        return c
    }
}
