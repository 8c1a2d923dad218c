import WebRTCCore

/// RTP retransmission payload format, RFC 4588 §4: an RTX packet carries the original packet's
/// payload prefixed by its 2-byte original sequence number (OSN), on its own SSRC, payload type and
/// sequence-number space.
package enum RTXPacket {
    /// Wraps `original` for retransmission. Marker, timestamp, CSRCs and header extensions are
    /// kept (RFC 4588 §4); padding is not carried over.
    package static func wrap(_ original: RTPPacket, rtxSSRC: UInt32, rtxPayloadType: UInt8, rtxSequenceNumber: UInt16) -> RTPPacket {
        var payload: [UInt8] = []
        payload.reserveCapacity(original.payload.count + 2)
        payload.append(UInt8(original.sequenceNumber >> 8))
        payload.append(UInt8(original.sequenceNumber & 0xFF))
        payload.append(contentsOf: original.payload)
        var p = original
        p.ssrc = rtxSSRC
        p.payloadType = rtxPayloadType & 0x7F
        p.sequenceNumber = rtxSequenceNumber
        p.payload = payload[...]
        p.paddingLength = 0
        return p
    }

    /// Restores the original packet from `rtx`, given the original stream's SSRC and payload type
    /// (from the SDP `apt=` association, RFC 4588 §8.6). Nil when the payload cannot hold an OSN;
    /// an empty payload after the OSN is allowed (RFC 4588 §4 padding-only probes have none at all).
    package static func unwrap(_ rtx: RTPPacket, originalSSRC: UInt32, originalPayloadType: UInt8) -> RTPPacket? {
        guard rtx.payload.count >= 2 else { return nil }
        let start = rtx.payload.startIndex
        var p = rtx
        p.sequenceNumber = UInt16(rtx.payload[start]) << 8 | UInt16(rtx.payload[start + 1])
        p.ssrc = originalSSRC
        p.payloadType = originalPayloadType & 0x7F
        p.payload = rtx.payload.dropFirst(2)
        p.paddingLength = 0
        return p
    }

    /// `unwrap`, counting `RTPDropReason.rtxTooShort` in `drops` when it fails.
    package static func unwrap(_ rtx: RTPPacket, originalSSRC: UInt32, originalPayloadType: UInt8, drops: inout DropCounters) -> RTPPacket? {
        guard let p = unwrap(rtx, originalSSRC: originalSSRC, originalPayloadType: originalPayloadType) else {
            drops.drop(RTPDropReason.rtxTooShort)
            return nil
        }
        return p
    }
}
