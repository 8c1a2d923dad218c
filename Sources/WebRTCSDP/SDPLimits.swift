/// Hard bounds the parser enforces so that hostile input costs at most linear time and memory.
package enum SDPLimits {
    /// Largest accepted input, in UTF-8 bytes (256 KiB).
    package static let maxBytes = 256 * 1024
    /// Largest accepted number of lines.
    package static let maxLines = 10_000
    /// Largest accepted number of m-sections.
    package static let maxMediaSections = 1024
}
