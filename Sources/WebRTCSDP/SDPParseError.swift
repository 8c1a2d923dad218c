/// Why a session description (or a single candidate string) was rejected.
///
/// `line` is the 1-based number of the first offending line of the input as given (blank
/// trailing lines count); `reason` is a short human-readable explanation.
package struct SDPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line number of the first offending line.
    package var line: Int
    /// What is wrong with that line.
    package var reason: String

    /// Creates an error for `line` with `reason`.
    package init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// "line N: reason".
    package var description: String { "line \(line): \(reason)" }
}

/// An attribute-value level failure without a line number yet; the line parser attaches one.
struct SDPValueError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
