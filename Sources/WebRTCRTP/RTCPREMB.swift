import WebRTCCore

/// Receiver estimated maximum bitrate (PSFB, PT 206, FMT 15 "application layer feedback" with the
/// "REMB" identifier), draft-alvestrand-rmcat-remb-03 §2.2.
package struct RTCPREMB: Sendable, Equatable {
    /// The feedback message type in the count field.
    package static let format: UInt8 = 15
    /// The 4-byte unique identifier "REMB".
    package static let identifier: [UInt8] = Array("REMB".utf8)

    /// The largest estimate the 18-bit mantissa and 6-bit exponent carry without overflowing 64 bits.
    package static let maximumBitrate: UInt64 = 0x3_FFFF << 46

    /// The sender of the feedback.
    package var senderSSRC: UInt32
    /// The estimate in bits per second (18-bit mantissa × 2^exponent on the wire; rounded down).
    package var bitrate: UInt64
    /// The media sources the estimate applies to (at most 255 are written).
    package var ssrcs: [UInt32]

    /// A REMB with `bitrate` for `ssrcs`.
    package init(senderSSRC: UInt32, bitrate: UInt64, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.bitrate = bitrate
        self.ssrcs = ssrcs
    }

    /// True when an FMT-15 body carries the REMB identifier (other application feedback is skipped).
    package static func matches(body: ArraySlice<UInt8>) -> Bool {
        body.count >= 12 && body.dropFirst(8).prefix(4).elementsEqual(identifier)
    }

    /// Parses the body after the common header.
    package init(body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        guard let sender = r.u32(), r.u32() != nil, let id = r.take(4), let word = r.u32() else { throw .truncated }
        guard id.elementsEqual(Self.identifier) else { throw .malformed }
        senderSSRC = sender
        let count = Int(word >> 24)
        let exponent = UInt64(word >> 18 & 0x3F)
        let mantissa = UInt64(word & 0x3_FFFF)
        // An exponent over 46 overflows 64 bits with an 18-bit mantissa: saturate to the largest
        // value the field can carry, so that writing it back gives the same value.
        bitrate = exponent > 46 ? (mantissa == 0 ? 0 : Self.maximumBitrate) : mantissa << exponent
        guard r.remaining >= 4 * count else { throw .truncated }
        var list: [UInt32] = []
        list.reserveCapacity(count)
        for _ in 0..<count { if let s = r.u32() { list.append(s) } }
        ssrcs = list
    }

    /// Writes the whole packet, header included. The bitrate is encoded with the smallest exponent
    /// that fits the mantissa in 18 bits.
    package func write(into w: inout ByteWriter) {
        var mantissa = bitrate, exponent: UInt64 = 0
        while mantissa > 0x3_FFFF {
            mantissa >>= 1
            exponent += 1
        }
        let list = ssrcs.prefix(255)
        RTCPHeader.write(into: &w, count: Self.format, type: RTCPHeader.payloadFeedback) { w in
            w.u32(senderSSRC)
            w.u32(0)  // media SSRC: always 0 for REMB
            w.append(Self.identifier)
            w.u32(UInt32(list.count) << 24 | UInt32(exponent) << 18 | UInt32(mantissa))
            for s in list { w.u32(s) }
        }
    }
}
