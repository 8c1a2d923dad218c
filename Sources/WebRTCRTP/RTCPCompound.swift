import WebRTCCore

/// A compound RTCP packet (RFC 3550 §6.1) split into the packets this layer interprets.
///
/// Parsing checks every sub-packet header: version 2, an RTCP packet type (RFC 5761 §4), a length
/// that fits, and padding only on the last sub-packet with a consistent count. Any failure there
/// drops the whole datagram (the boundaries cannot be trusted). A known sub-packet whose body is
/// malformed is dropped alone and counted; unknown types (APP, XR, other feedback formats) are
/// skipped and counted. The RFC 3550 rule that a compound starts with SR/RR is not enforced, so
/// reduced-size RTCP (RFC 5506: a lone feedback packet) is accepted.
package struct RTCPCompound: Sendable, Equatable {
    /// The interpreted packets in order.
    package var packets: [RTCPPacket]
    /// Sub-packets skipped because their type or format is unknown here.
    package var skippedUnknown: Int
    /// Sub-packets of a known type dropped because their body was malformed.
    package var droppedMalformed: Int

    /// A compound made of `packets`, for serialisation.
    package init(_ packets: [RTCPPacket]) {
        self.packets = packets
        skippedUnknown = 0
        droppedMalformed = 0
    }

    /// Parses a datagram; returns nil and counts the reason when the compound structure is broken.
    package init?(_ bytes: ArraySlice<UInt8>, drops: inout DropCounters) {
        guard bytes.count >= 4 else {
            drops.drop(RTCPDropReason.tooShort)
            return nil
        }
        // First pass: validate every header so that nothing is interpreted from a broken datagram.
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            guard bytes.endIndex - offset >= 4 else { drops.drop(RTCPDropReason.lengthOverflow); return nil }
            let b0 = bytes[offset]
            guard b0 >> 6 == 2 else { drops.drop(RTCPDropReason.badVersion); return nil }
            guard (192...223).contains(bytes[offset + 1]) else { drops.drop(RTCPDropReason.notRTCP); return nil }
            let total = ((Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])) + 1) * 4
            guard bytes.endIndex - offset >= total else { drops.drop(RTCPDropReason.lengthOverflow); return nil }
            let end = offset + total
            if b0 & 0x20 != 0 {
                // RFC 3550 §6.4.1: only the last packet of a compound may be padded.
                let pad = Int(bytes[end - 1])
                guard end == bytes.endIndex, pad >= 1, pad <= total - 4 else { drops.drop(RTCPDropReason.badPadding); return nil }
            }
            offset = end
        }
        // Second pass: interpret.
        packets = []
        skippedUnknown = 0
        droppedMalformed = 0
        offset = bytes.startIndex
        while offset < bytes.endIndex {
            let b0 = bytes[offset], type = bytes[offset + 1]
            let end = offset + ((Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])) + 1) * 4
            let pad = b0 & 0x20 != 0 ? Int(bytes[end - 1]) : 0
            let body = bytes[offset + 4..<end - pad]
            do {
                if let p = try RTCPPacket.decode(type: type, count: b0 & 0x1F, body: body) {
                    packets.append(p)
                } else {
                    skippedUnknown += 1
                    drops.drop(RTCPDropReason.unknownSkipped)
                }
            } catch {
                droppedMalformed += 1
                drops.drop(error.dropReason)
            }
            offset = end
        }
    }

    /// The compound on the wire: each packet in order, no padding.
    package func serialized() -> [UInt8] {
        var w = ByteWriter(capacity: 128)
        for p in packets { p.write(into: &w) }
        return w.bytes
    }
}
