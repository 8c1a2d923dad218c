/// The `o=` line (RFC 8866 §5.2): `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>`.
package struct SDPOrigin: Equatable, Sendable {
    /// Login of the originating user, "-" when there is none.
    package var username: String
    /// Numeric session identifier (any value up to 2^64−1 is accepted).
    package var sessionID: UInt64
    /// Version number, bumped on every change of this session description.
    package var sessionVersion: UInt64
    /// Network type, "IN".
    package var netType: String
    /// Address type, "IP4" or "IP6".
    package var addressType: String
    /// Unicast address or host name of the originator.
    package var address: String

    /// Creates an origin; the defaults match what browsers write (`- <id> <ver> IN IP4 127.0.0.1`).
    package init(username: String = "-", sessionID: UInt64, sessionVersion: UInt64,
                 netType: String = "IN", addressType: String = "IP4", address: String = "127.0.0.1") {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.netType = netType
        self.addressType = addressType
        self.address = address
    }

    /// Parses the value after "o=".
    static func parse(_ value: Substring) throws(SDPValueError) -> SDPOrigin {
        let w = SDPTokens.words(value)
        guard w.count == 6 else { throw SDPValueError("o= needs 6 fields, found \(w.count)") }
        guard let id = SDPTokens.unsigned(w[1], as: UInt64.self) else {
            throw SDPValueError("o= session id '\(w[1])' is not a number up to 18446744073709551615")
        }
        guard let version = SDPTokens.unsigned(w[2], as: UInt64.self) else {
            throw SDPValueError("o= session version '\(w[2])' is not a number up to 18446744073709551615")
        }
        return SDPOrigin(username: String(w[0]), sessionID: id, sessionVersion: version,
                         netType: String(w[3]), addressType: String(w[4]), address: String(w[5]))
    }

    /// The value after "o=".
    var value: String { "\(username) \(sessionID) \(sessionVersion) \(netType) \(addressType) \(address)" }
}

/// A `c=` line (RFC 8866 §5.7): `c=<nettype> <addrtype> <connection-address>`.
package struct SDPConnection: Equatable, Sendable {
    /// Network type, "IN".
    package var netType: String
    /// "IP4" or "IP6".
    package var addressType: String
    /// The address, possibly with "/ttl" or "/count" suffixes as written.
    package var address: String

    /// Creates a connection line; the default is the JSEP placeholder `IN IP4 0.0.0.0`.
    package init(netType: String = "IN", addressType: String = "IP4", address: String = "0.0.0.0") {
        self.netType = netType
        self.addressType = addressType
        self.address = address
    }

    /// Parses the value after "c=".
    static func parse(_ value: Substring) throws(SDPValueError) -> SDPConnection {
        let w = SDPTokens.words(value)
        guard w.count == 3 else { throw SDPValueError("c= needs 3 fields, found \(w.count)") }
        return SDPConnection(netType: String(w[0]), addressType: String(w[1]), address: String(w[2]))
    }

    /// The value after "c=".
    var value: String { "\(netType) \(addressType) \(address)" }
}

/// A `b=` line (RFC 8866 §5.8): `b=<bwtype>:<bandwidth>`.
package struct SDPBandwidth: Equatable, Sendable {
    /// "AS", "CT", "TIAS", "RS", "RR" or another token.
    package var type: String
    /// Bandwidth value (kbit/s for AS/CT, bit/s for TIAS).
    package var value: UInt64

    /// Creates a bandwidth line.
    package init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }

    /// Parses the value after "b=".
    static func parse(_ text: Substring) throws(SDPValueError) -> SDPBandwidth {
        guard let (t, v) = SDPTokens.splitOnce(text, at: 0x3A), SDPTokens.isToken(t) else {
            throw SDPValueError("b= must be <type>:<number>")
        }
        guard let n = SDPTokens.unsigned(v, as: UInt64.self) else {
            throw SDPValueError("b= bandwidth '\(v)' is not a number")
        }
        return SDPBandwidth(type: String(t), value: n)
    }

    /// The value after "b=".
    var text: String { "\(type):\(value)" }
}

/// A `t=` line with its `r=` repeat lines (RFC 8866 §5.9, §5.10).
package struct SDPTiming: Equatable, Sendable {
    /// Start time (NTP seconds), 0 for unbounded.
    package var start: UInt64
    /// Stop time (NTP seconds), 0 for unbounded.
    package var stop: UInt64
    /// Values of the `r=` lines that follow, verbatim.
    package var repeats: [String]

    /// Creates a timing; the default `t=0 0` is what WebRTC uses.
    package init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }

    /// Parses the value after "t=".
    static func parse(_ value: Substring) throws(SDPValueError) -> SDPTiming {
        let w = SDPTokens.words(value)
        guard w.count == 2, let a = SDPTokens.unsigned(w[0], as: UInt64.self),
              let b = SDPTokens.unsigned(w[1], as: UInt64.self) else {
            throw SDPValueError("t= must be two numbers <start> <stop>")
        }
        return SDPTiming(start: a, stop: b)
    }
}
