import WebRTCCore

/// A parsed `stun:`/`stuns:`/`turn:`/`turns:` URL (RFC 7064, RFC 7065).
package struct ICEServerURL: Sendable, Equatable {
    package enum Scheme: String, Sendable { case stun, stuns, turn, turns }

    package var scheme: Scheme
    package var host: String
    package var port: UInt16
    /// "udp" or "tcp" (TURN only; STUN is always UDP here).
    package var transport: String

    /// Parses `scheme:host[:port][?transport=udp|tcp]`; IPv6 literals in brackets.
    package init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":"), let scheme = Scheme(rawValue: text[..<colon].lowercased()) else { return nil }
        self.scheme = scheme
        var rest = String(text[text.index(after: colon)...])
        transport = scheme == .turns ? "tcp" : "udp"
        if let q = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: q)...].lowercased()
            rest = String(rest[..<q])
            if query == "transport=tcp" { transport = "tcp" } else if query == "transport=udp" { transport = "udp" } else { return nil }
        }
        let defaultPort: UInt16 = (scheme == .stuns || scheme == .turns) ? 5349 : 3478
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.isEmpty { port = defaultPort } else {
                guard after.first == ":", let p = UInt16(after.dropFirst()) else { return nil }
                port = p
            }
        } else if let c = rest.lastIndex(of: ":") {
            host = String(rest[..<c])
            guard let p = UInt16(rest[rest.index(after: c)...]) else { return nil }
            port = p
        } else {
            host = rest
            port = defaultPort
        }
        guard !host.isEmpty else { return nil }
    }
}
