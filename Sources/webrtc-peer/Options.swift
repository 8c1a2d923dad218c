/// Command-line options of PROTOCOL.md.
struct Options {
    enum Role: String { case offerer, answerer }
    var role: Role = .offerer
    var scenario = "echo"
    var bytes = 67_108_864
    var messageSize = 65_536
    var stun: String?
    var turn: String?
    var turnUser: String?
    var turnPass: String?
    var relayOnly = false
    var timeout = 60.0

    static func parse(_ args: [String]) -> Options? {
        var o = Options()
        var i = 0
        var sawRole = false
        func value() -> String? {
            i += 1
            return i < args.count ? args[i] : nil
        }
        while i < args.count {
            switch args[i] {
            case "--role":
                guard let v = value(), let r = Role(rawValue: v) else { return nil }
                o.role = r
                sawRole = true
            case "--scenario": guard let v = value() else { return nil }; o.scenario = v
            case "--bytes": guard let v = value().flatMap({ Int($0) }) else { return nil }; o.bytes = v
            case "--message-size": guard let v = value().flatMap({ Int($0) }) else { return nil }; o.messageSize = v
            case "--stun": o.stun = value()
            case "--turn": o.turn = value()
            case "--turn-user": o.turnUser = value()
            case "--turn-pass": o.turnPass = value()
            case "--relay-only": o.relayOnly = true
            case "--timeout": guard let v = value().flatMap({ Double($0) }) else { return nil }; o.timeout = v
            default: break  // unknown options are ignored, like unknown signaling lines
            }
            i += 1
        }
        return sawRole ? o : nil
    }
}
