/// A bounds-checked, read-only view of a plain (unprotected) RTP packet, RFC 3550 §5.1.
///
/// All ranges are indices into the collection passed to `init`, so `packet[view.payloadRange]`
/// is the payload. Construction fails (returns nil) for anything other than a well-formed
/// version-2 packet: CSRCs or the header extension running past the end, or a padding count of
/// zero or larger than what follows the header. It never traps on any input.
package struct RTPHeaderView: Sendable, Equatable {
    /// The fixed header's size without CSRCs or extension.
    package static let fixedHeaderLength = 12

    /// RTP version; always 2 for a view that parsed.
    package let version: UInt8
    /// The P bit: the payload ends in padding (`paddingLength` bytes, already excluded from `payloadRange`).
    package let padding: Bool
    /// The X bit: a header extension follows the CSRCs.
    package let hasExtension: Bool
    /// The M bit.
    package let marker: Bool
    /// The 7-bit payload type.
    package let payloadType: UInt8
    /// The 16-bit sequence number.
    package let sequenceNumber: UInt16
    /// The RTP timestamp.
    package let timestamp: UInt32
    /// The synchronisation source.
    package let ssrc: UInt32
    /// Contributing sources (CC entries).
    package let csrcs: [UInt32]
    /// The 16-bit "defined by profile" field of the header extension (0xBEDE for RFC 8285
    /// one-byte, 0x100x for two-byte), nil without an extension.
    package let extensionProfile: UInt16?
    /// The header extension's data after its 4-byte header, nil without an extension.
    package let extensionRange: Range<Int>?
    /// Total header length: fixed header, CSRCs and extension.
    package let headerLength: Int
    /// The payload, excluding padding.
    package let payloadRange: Range<Int>
    /// Number of padding bytes at the end (0 when P is clear), including the count byte itself.
    package let paddingLength: Int

    /// Parses the RTP header at the start of `packet`. Returns nil unless the whole packet is
    /// consistent (see the type's documentation).
    package init?(_ packet: ArraySlice<UInt8>) {
        let start = packet.startIndex, end = packet.endIndex
        guard packet.count >= Self.fixedHeaderLength else { return nil }
        let b0 = packet[start], b1 = packet[start + 1]
        version = b0 >> 6
        guard version == 2 else { return nil }
        padding = b0 & 0x20 != 0
        hasExtension = b0 & 0x10 != 0
        let csrcCount = Int(b0 & 0x0F)
        marker = b1 & 0x80 != 0
        payloadType = b1 & 0x7F
        sequenceNumber = UInt16(packet[start + 2]) << 8 | UInt16(packet[start + 3])
        timestamp = Self.u32(packet, start + 4)
        ssrc = Self.u32(packet, start + 8)

        // CSRC list: CC × 4 bytes, must fit.
        var offset = start + Self.fixedHeaderLength
        guard end - offset >= 4 * csrcCount else { return nil }
        var list: [UInt32] = []
        list.reserveCapacity(csrcCount)
        for i in 0..<csrcCount { list.append(Self.u32(packet, offset + 4 * i)) }
        csrcs = list
        offset += 4 * csrcCount

        // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words, then the data.
        if hasExtension {
            guard end - offset >= 4 else { return nil }
            let profile = UInt16(packet[offset]) << 8 | UInt16(packet[offset + 1])
            let words = Int(packet[offset + 2]) << 8 | Int(packet[offset + 3])
            offset += 4
            guard end - offset >= 4 * words else { return nil }
            extensionProfile = profile
            extensionRange = offset..<offset + 4 * words
            offset += 4 * words
        } else {
            extensionProfile = nil
            extensionRange = nil
        }
        headerLength = offset - start

        // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
        if padding {
            guard end > offset else { return nil }
            let count = Int(packet[end - 1])
            guard count >= 1, count <= end - offset else { return nil }
            paddingLength = count
        } else {
            paddingLength = 0
        }
        payloadRange = offset..<end - paddingLength
    }

    /// Convenience overload for a whole array.
    package init?(_ packet: [UInt8]) { self.init(packet[...]) }

    @inline(__always)
    static func u32(_ b: ArraySlice<UInt8>, _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
}
