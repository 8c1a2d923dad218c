extension SessionDescription {
    /// Parses SDP text (CRLF or LF line endings). Throws the 1-based line number and reason of
    /// the first error. Input over 256 KiB, 10,000 lines or 1024 m-sections is rejected.
    package static func parse(_ text: String) throws(SDPParseError) -> SessionDescription {
        try parseWithLines(text).description
    }

    /// Parses and also returns the line number of every `m=` line.
    static func parseWithLines(_ text: String) throws(SDPParseError) -> (description: SessionDescription, mediaLines: [Int]) {
        var parser = try SDPParser(text)
        return try parser.run()
    }
}

/// The line-by-line state machine behind `SessionDescription.parse` (RFC 8866 §5 line order).
struct SDPParser {
    private var reader: SDPLineReader
    private var session = SessionDescription(origin: SDPOrigin(sessionID: 0, sessionVersion: 0))
    private var mediaLines: [Int] = []
    private var mids: Set<String> = []

    init(_ text: String) throws(SDPParseError) {
        reader = try SDPLineReader(text)
        session.timing = []
    }

    /// Rank of a session-level line type in RFC 8866 §5 order, and whether it may repeat.
    private static func sessionRank(_ t: UInt8) -> (rank: Int, repeats: Bool)? {
        switch t {
        case UInt8(ascii: "i"): (3, false)
        case UInt8(ascii: "u"): (4, false)
        case UInt8(ascii: "e"): (5, true)
        case UInt8(ascii: "p"): (6, true)
        case UInt8(ascii: "c"): (7, false)
        case UInt8(ascii: "b"): (8, true)
        case UInt8(ascii: "t"), UInt8(ascii: "r"): (9, true)
        case UInt8(ascii: "z"): (10, false)
        case UInt8(ascii: "k"): (11, false)
        case UInt8(ascii: "a"): (12, true)
        default: nil
        }
    }

    /// Rank of a media-level line type, and whether it may repeat.
    private static func mediaRank(_ t: UInt8) -> (rank: Int, repeats: Bool)? {
        switch t {
        case UInt8(ascii: "i"): (1, false)
        case UInt8(ascii: "c"): (2, false)
        case UInt8(ascii: "b"): (3, true)
        case UInt8(ascii: "k"): (4, false)
        case UInt8(ascii: "a"): (5, true)
        default: nil
        }
    }

    private static func name(_ t: UInt8) -> String { String(UnicodeScalar(t)) + "=" }

    private func fail(_ line: Int, _ reason: String) -> SDPParseError { SDPParseError(line: line, reason: reason) }

    private mutating func expect(_ type: Character) throws(SDPParseError) -> SDPLineReader.Line {
        guard let line = try reader.next() else {
            throw fail(reader.endLine, "missing \(type)= line")
        }
        guard line.type == type.asciiValue else {
            throw fail(line.number, "expected \(type)= line, found \(Self.name(line.type))")
        }
        return line
    }

    mutating func run() throws(SDPParseError) -> (description: SessionDescription, mediaLines: [Int]) {
        // RFC 8866 §5: v=, o=, s= come first, in this order.
        let v = try expect("v")
        guard v.value == "0" else { throw fail(v.number, "unsupported version v=\(v.value)") }
        let o = try expect("o")
        do { session.origin = try SDPOrigin.parse(o.value) } catch { throw fail(o.number, error.reason) }
        session.sessionName = String(try expect("s").value)

        var rank = 2
        var previousType = UInt8(ascii: "s")
        var pending = try reader.next()
        while let line = pending, line.type != UInt8(ascii: "m") {
            guard let (r, repeats) = Self.sessionRank(line.type) else {
                throw fail(line.number, "\(Self.name(line.type)) line not allowed at session level")
            }
            if r < rank || (r == rank && !repeats && previousType == line.type) {
                throw fail(line.number, "\(Self.name(line.type)) line out of order or repeated")
            }
            if line.type == UInt8(ascii: "r"), previousType != UInt8(ascii: "t"), previousType != UInt8(ascii: "r") {
                throw fail(line.number, "r= line must follow a t= line")
            }
            if r > 9, session.timing.isEmpty {
                throw fail(line.number, "missing t= line before \(Self.name(line.type))")
            }
            try sessionLine(line)
            rank = r
            previousType = line.type
            pending = try reader.next()
        }
        if session.timing.isEmpty {
            throw fail(pending?.number ?? reader.endLine, "missing t= line")
        }
        while let mLine = pending {
            pending = try mediaSection(mLine)
        }
        return (session, mediaLines)
    }

    private mutating func sessionLine(_ line: SDPLineReader.Line) throws(SDPParseError) {
        let value = line.value
        do throws(SDPValueError) {
            switch line.type {
            case UInt8(ascii: "i"): session.information = String(value)
            case UInt8(ascii: "u"): session.uri = String(value)
            case UInt8(ascii: "e"): session.emails.append(String(value))
            case UInt8(ascii: "p"): session.phones.append(String(value))
            case UInt8(ascii: "c"): session.connection = try SDPConnection.parse(value)
            case UInt8(ascii: "b"): session.bandwidths.append(try SDPBandwidth.parse(value))
            case UInt8(ascii: "t"): session.timing.append(try SDPTiming.parse(value))
            case UInt8(ascii: "r"):
                // Only reached after a t= line (checked by the caller).
                let last = session.timing.count - 1
                if last >= 0 { session.timing[last].repeats.append(String(value)) }
            case UInt8(ascii: "z"): session.timeZones = String(value)
            case UInt8(ascii: "k"): session.encryptionKey = String(value)
            default: session.attributes.append(try SDPAttribute.parse(value))
            }
        } catch {
            throw fail(line.number, error.reason)
        }
    }

    /// Parses one m-section starting at `mLine`; returns the next m= line, if any.
    private mutating func mediaSection(_ mLine: SDPLineReader.Line) throws(SDPParseError) -> SDPLineReader.Line? {
        if session.media.count >= SDPLimits.maxMediaSections {
            throw fail(mLine.number, "more than \(SDPLimits.maxMediaSections) m-sections")
        }
        var m: MediaDescription
        do { m = try MediaLine.parse(mLine.value) } catch { throw fail(mLine.number, error.reason) }
        var rank = 0
        var previousType = UInt8(ascii: "m")
        var sawMid = false
        while let line = try reader.next() {
            if line.type == UInt8(ascii: "m") {
                session.media.append(m)
                mediaLines.append(mLine.number)
                return line
            }
            guard let (r, repeats) = Self.mediaRank(line.type) else {
                throw fail(line.number, "\(Self.name(line.type)) line not allowed in a media section")
            }
            if r < rank || (r == rank && !repeats && previousType == line.type) {
                throw fail(line.number, "\(Self.name(line.type)) line out of order or repeated in a media section")
            }
            do throws(SDPValueError) {
                switch line.type {
                case UInt8(ascii: "i"): m.information = String(line.value)
                case UInt8(ascii: "c"): m.connection = try SDPConnection.parse(line.value)
                case UInt8(ascii: "b"): m.bandwidths.append(try SDPBandwidth.parse(line.value))
                case UInt8(ascii: "k"): m.encryptionKey = String(line.value)
                default:
                    let a = try SDPAttribute.parse(line.value)
                    if case .mid(let mid) = a {
                        // RFC 5888 §4: an identification-tag is unique in the session.
                        if sawMid { throw SDPValueError("second a=mid in one m-section") }
                        if !mids.insert(mid).inserted { throw SDPValueError("duplicate a=mid:\(mid)") }
                        sawMid = true
                    }
                    m.attributes.append(a)
                }
            } catch {
                throw fail(line.number, error.reason)
            }
            rank = r
            previousType = line.type
        }
        session.media.append(m)
        mediaLines.append(mLine.number)
        return nil
    }
}

/// The `m=` line (RFC 8866 §5.14): `m=<media> <port>[/<count>] <proto> <fmt> ...`.
enum MediaLine {
    static func parse(_ value: Substring) throws(SDPValueError) -> MediaDescription {
        let w = SDPTokens.words(value)
        guard w.count >= 4 else { throw SDPValueError("m= needs <media> <port> <proto> <fmt>..., found \(w.count) fields") }
        guard SDPTokens.isToken(w[0]) else { throw SDPValueError("m= media '\(w[0])' is not a token") }
        var portText = w[1]
        var count: UInt16?
        if let (p, c) = SDPTokens.splitOnce(w[1], at: 0x2F) {
            guard let n = SDPTokens.unsigned(c, as: UInt16.self) else {
                throw SDPValueError("m= port count '\(c)' is not a number")
            }
            portText = p
            count = n
        }
        guard let port = SDPTokens.unsigned(portText, as: UInt16.self) else {
            throw SDPValueError("m= port '\(portText)' is not 0-65535")
        }
        guard w[2].utf8.allSatisfy({ SDPTokens.isTokenChar($0) || $0 == 0x2F }) else {
            throw SDPValueError("m= proto '\(w[2])' is not a token")
        }
        for f in w[3...] where !SDPTokens.isToken(f) {
            throw SDPValueError("m= format '\(f)' is not a token")
        }
        var m = MediaDescription(kind: String(w[0]), port: port, proto: String(w[2]), formats: w[3...].map(String.init))
        m.numberOfPorts = count
        return m
    }

    static func text(_ m: MediaDescription) -> String {
        var s = "\(m.kind) \(m.port)"
        if let n = m.numberOfPorts { s += "/\(n)" }
        s += " \(m.proto)"
        for f in m.formats { s += " \(f)" }
        return s
    }
}
