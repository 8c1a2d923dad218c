/// Hard bounds the parser enforces so that hostile input costs at most linear time and memory.
package enum SDPLimits {
    /// Largest accepted input, in UTF-8 bytes (256 KiB).
    package static let maxBytes = 256 * 1024
    /// Largest accepted number of lines.
    package static let maxLines = 10_000
    /// Largest accepted number of m-sections.
    package static let maxMediaSections = 1024
    /// Longest accepted candidate value (the text after "candidate:"), in bytes. RFC 8839 §5.1
    /// sets no limit; real candidates are under 200 bytes, so 512 leaves room and bounds the work.
    package static let maxCandidateBytes = 512
    /// Most name/value pairs accepted after a candidate's type (`raddr`, `rport`, `tcptype` and
    /// every `extension-att`); browsers send at most seven.
    package static let maxCandidateExtensionPairs = 16
}
