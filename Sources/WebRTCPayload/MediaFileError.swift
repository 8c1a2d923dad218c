/// Why a container reader rejected its input. The reason is a stable identifier.
package struct MediaFileError: Error, Equatable, Sendable {
    /// A short identifier such as "ivf.badSignature".
    package var reason: String

    /// An error for `reason`.
    package init(_ reason: String) { self.reason = reason }
}

/// Little-endian reads for the container formats (IVF and Ogg are little-endian).
extension ArraySlice<UInt8> {
    /// The little-endian unsigned integer of `count` bytes at `index`, or nil past the end.
    func littleEndian(at index: Int, count: Int) -> UInt64? {
        guard index >= startIndex, count <= 8, endIndex - index >= count else { return nil }
        var v: UInt64 = 0
        for k in (0..<count).reversed() { v = v << 8 | UInt64(self[index + k]) }
        return v
    }
}
