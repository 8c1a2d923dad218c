/// Splits SDP text into numbered lines: LF or CRLF endings, bounded by `SDPLimits`.
///
/// Scans a contiguous byte copy of the input once; each line becomes one `Substring`.
struct SDPLineReader {
    /// One line: its 1-based number, its type letter and the text after "x=".
    struct Line {
        var number: Int
        var type: UInt8
        var value: Substring
    }

    private let bytes: [UInt8]
    private var position = 0
    private(set) var lineNumber = 0
    private var firstBlank: Int?
    private var lastContentLine = 0
    private var endedWithNewline = false

    /// The line an "expected more input" error names: the one after the last non-blank line,
    /// but never past the end of the input.
    var endLine: Int {
        max(1, min(lastContentLine + 1, lineNumber + (endedWithNewline ? 1 : 0)))
    }

    init(_ text: String) throws(SDPParseError) {
        let bytes = Array(text.utf8)
        if bytes.count > SDPLimits.maxBytes {
            // Name the line that crosses the limit.
            var line = 1
            for i in 0..<SDPLimits.maxBytes where bytes[i] == 0x0A { line += 1 }
            throw SDPParseError(line: line, reason: "SDP is larger than \(SDPLimits.maxBytes) bytes")
        }
        self.bytes = bytes
    }

    /// The next non-blank line, or nil at the end. Blank lines are allowed only at the end.
    mutating func next() throws(SDPParseError) -> Line? {
        let count = bytes.count
        while position < count {
            lineNumber += 1
            if lineNumber > SDPLimits.maxLines {
                throw SDPParseError(line: lineNumber, reason: "SDP has more than \(SDPLimits.maxLines) lines")
            }
            let start = position
            var eol = start
            var firstBad = Int.max
            while eol < count {
                let b = bytes[eol]
                if b == 0x0A { break }
                if (b == 0x00 || b == 0x0D) && firstBad == Int.max { firstBad = eol }
                eol += 1
            }
            var end = eol
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            // The CR of a CRLF sits at `end`; any NUL or CR before it is bad.
            let bad = firstBad < end
            endedWithNewline = eol < count
            position = endedWithNewline ? eol + 1 : eol
            if end == start {
                if firstBlank == nil { firstBlank = lineNumber }
                continue
            }
            lastContentLine = lineNumber
            if let blank = firstBlank {
                throw SDPParseError(line: blank, reason: "empty line")
            }
            if bad {
                throw SDPParseError(line: lineNumber, reason: "line contains a NUL or a stray CR")
            }
            let type = bytes[start]
            guard end - start >= 2, type >= 0x61, type <= 0x7A, bytes[start + 1] == 0x3D else {
                throw SDPParseError(line: lineNumber, reason: "line does not start with '<letter>='")
            }
            let value = Substring(String(decoding: bytes[(start + 2)..<end], as: UTF8.self))
            return Line(number: lineNumber, type: type, value: value)
        }
        return nil
    }
}
