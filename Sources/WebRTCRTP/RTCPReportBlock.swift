import WebRTCCore

/// One reception report block of an SR or RR, RFC 3550 §6.4.1 (24 bytes).
package struct RTCPReportBlock: Sendable, Equatable {
    /// Size on the wire.
    package static let length = 24

    /// The source this block reports on.
    package var ssrc: UInt32
    /// Fraction lost since the previous report, in 1/256.
    package var fractionLost: UInt8
    /// Cumulative number of packets lost: a signed 24-bit value (duplicates can make it negative).
    package var cumulativeLost: Int32
    /// Extended highest sequence number received (cycles in the upper 16 bits).
    package var extendedHighestSequence: UInt32
    /// Interarrival jitter in timestamp units.
    package var jitter: UInt32
    /// Middle 32 bits of the NTP timestamp of the last SR from this source (0: none yet).
    package var lastSenderReport: UInt32
    /// Delay since that SR, in 1/65536 s.
    package var delaySinceLastSenderReport: UInt32

    /// A block with every field given.
    package init(ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0, extendedHighestSequence: UInt32 = 0,
                 jitter: UInt32 = 0, lastSenderReport: UInt32 = 0, delaySinceLastSenderReport: UInt32 = 0) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    /// Reads one block; nil if fewer than 24 bytes remain.
    package init?(_ r: inout ByteReader) {
        guard r.remaining >= Self.length, let ssrc = r.u32(), let lost = r.u32(), let ehsn = r.u32(),
              let jitter = r.u32(), let lsr = r.u32(), let dlsr = r.u32() else { return nil }
        self.ssrc = ssrc
        fractionLost = UInt8(lost >> 24)
        // Sign-extend the 24-bit two's-complement count.
        cumulativeLost = Int32(bitPattern: lost << 8) >> 8
        extendedHighestSequence = ehsn
        self.jitter = jitter
        lastSenderReport = lsr
        delaySinceLastSenderReport = dlsr
    }

    /// Writes the block (the cumulative count clamped to the 24-bit signed range).
    package func write(into w: inout ByteWriter) {
        let clamped = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        w.u32(ssrc)
        w.u32(UInt32(fractionLost) << 24 | UInt32(bitPattern: clamped) & 0xFF_FFFF)
        w.u32(extendedHighestSequence)
        w.u32(jitter)
        w.u32(lastSenderReport)
        w.u32(delaySinceLastSenderReport)
    }
}
