/// Splits SDP text into numbered lines: LF or CRLF endings, bounded by `SDPLimits`.
struct SDPLineReader {
    /// One line: its 1-based number, its type letter and the text after "x=".
    struct Line {
        var number: Int
        var type: UInt8
        var value: Substring
    }

    private let text: Substring
    private var position: String.UTF8View.Index
    private(set) var lineNumber = 0
    private var lastContentLine = 0
    private var endedWithNewline = false

    /// The line an "expected more input" error names: the one after the last non-blank line,
    /// but never past the end of the input.
    var endLine: Int {
        max(1, min(lastContentLine + 1, lineNumber + (endedWithNewline ? 1 : 0)))
    }
    private var firstBlank: Int?

    init(_ text: String) throws(SDPParseError) {
        let utf8 = text.utf8
        if utf8.count > SDPLimits.maxBytes {
            // Name the line that crosses the limit.
            let cut = utf8.index(utf8.startIndex, offsetBy: SDPLimits.maxBytes)
            let line = 1 + utf8[utf8.startIndex..<cut].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw SDPParseError(line: line, reason: "SDP is larger than \(SDPLimits.maxBytes) bytes")
        }
        self.text = Substring(text)
        self.position = self.text.utf8.startIndex
    }

    /// The next non-blank line, or nil at the end. Blank lines are allowed only at the end.
    mutating func next() throws(SDPParseError) -> Line? {
        let u = text.utf8
        while position < u.endIndex {
            lineNumber += 1
            if lineNumber > SDPLimits.maxLines {
                throw SDPParseError(line: lineNumber, reason: "SDP has more than \(SDPLimits.maxLines) lines")
            }
            let eol = u[position...].firstIndex(of: 0x0A) ?? u.endIndex
            var lineEnd = eol
            if lineEnd > position, u[u.index(before: lineEnd)] == 0x0D { lineEnd = u.index(before: lineEnd) }
            let raw = u[position..<lineEnd]
            if eol < u.endIndex {
                position = u.index(after: eol)
                endedWithNewline = true
            } else {
                position = eol
                endedWithNewline = false
            }
            if raw.isEmpty {
                if firstBlank == nil { firstBlank = lineNumber }
                continue
            }
            lastContentLine = lineNumber
            if let blank = firstBlank {
                throw SDPParseError(line: blank, reason: "empty line")
            }
            if raw.contains(where: { $0 == 0x00 || $0 == 0x0D }) {
                throw SDPParseError(line: lineNumber, reason: "line contains a NUL or a stray CR")
            }
            guard raw.count >= 2, let type = raw.first, (0x61...0x7A).contains(type),
                  raw[raw.index(after: raw.startIndex)] == 0x3D else {
                throw SDPParseError(line: lineNumber, reason: "line does not start with '<letter>='")
            }
            let value = Substring(raw[raw.index(raw.startIndex, offsetBy: 2)...])
            return Line(number: lineNumber, type: type, value: value)
        }
        return nil
    }
}
