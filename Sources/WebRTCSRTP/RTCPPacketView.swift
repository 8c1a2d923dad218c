/// A bounds-checked, read-only view of one plain (unprotected) RTCP packet, RFC 3550 §6.4.
///
/// Ranges are indices into the collection passed in. Use `compound(_:)` to split and validate
/// a whole compound packet (RFC 3550 §6.1); any sub-packet whose length field runs past the
/// end, a wrong version, or padding that is inconsistent rejects the whole compound.
package struct RTCPPacketView: Sendable, Equatable {
    /// RTCP version; always 2 for a view that parsed.
    package let version: UInt8
    /// The P bit; `paddingLength` bytes at the end of this packet are padding.
    package let padding: Bool
    /// The 5-bit count field: reception report count, source count or feedback FMT.
    package let count: UInt8
    /// The packet type (200 SR, 201 RR, 202 SDES, 203 BYE, 204 APP, 205 RTPFB, 206 PSFB, …).
    package let packetType: UInt8
    /// The whole packet, header included: `(length field + 1) × 4` bytes.
    package let range: Range<Int>
    /// The packet body after the 4-byte header, padding excluded.
    package let bodyRange: Range<Int>
    /// Padding bytes at the end of this packet, the count byte included (0 when P is clear).
    package let paddingLength: Int
    /// The first 32-bit word of the body (the sender/packet SSRC of SR, RR, APP, RTPFB, PSFB;
    /// the first source of SDES and BYE), nil for an empty body.
    package let ssrc: UInt32?

    /// Parses the RTCP packet at the start of `bytes`; trailing bytes after it are allowed (they
    /// are the rest of a compound packet). Returns nil if the header is not version 2 with an
    /// RTCP packet type (192–223, RFC 5761 §4), if the declared length does not fit, or if the
    /// padding count is zero or larger than the body.
    package init?(_ bytes: ArraySlice<UInt8>) {
        let start = bytes.startIndex
        guard bytes.count >= 4 else { return nil }
        let b0 = bytes[start]
        version = b0 >> 6
        guard version == 2 else { return nil }
        padding = b0 & 0x20 != 0
        count = b0 & 0x1F
        packetType = bytes[start + 1]
        guard (192...223).contains(packetType) else { return nil }
        let words = Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
        let total = (words + 1) * 4
        guard bytes.count >= total else { return nil }
        let end = start + total
        range = start..<end
        let bodyStart = start + 4
        // RFC 3550 §6.4.1: the last octet of the packet is the padding count, itself included.
        if padding {
            guard end > bodyStart else { return nil }
            let pad = Int(bytes[end - 1])
            guard pad >= 1, pad <= end - bodyStart else { return nil }
            paddingLength = pad
        } else {
            paddingLength = 0
        }
        bodyRange = bodyStart..<end - paddingLength
        ssrc = bodyRange.count >= 4 ? RTPHeaderView.u32(bytes, bodyStart) : nil
    }

    /// Convenience overload for a whole array.
    package init?(_ bytes: [UInt8]) { self.init(bytes[...]) }

    /// Splits a compound RTCP packet into its packets. Returns nil if it is empty, if any
    /// sub-packet fails to parse or its length runs past the end, if bytes are left over, or if a
    /// packet other than the last has the P bit set (RFC 3550 §6.4.1: padding only on the last).
    package static func compound(_ packet: ArraySlice<UInt8>) -> [RTCPPacketView]? {
        var result: [RTCPPacketView] = []
        var offset = packet.startIndex
        while offset < packet.endIndex {
            guard let view = RTCPPacketView(packet[offset...]) else { return nil }
            if let last = result.last, last.padding { return nil }
            result.append(view)
            offset = view.range.upperBound
        }
        return result.isEmpty ? nil : result
    }

    /// Convenience overload for a whole array.
    package static func compound(_ packet: [UInt8]) -> [RTCPPacketView]? { compound(packet[...]) }
}
