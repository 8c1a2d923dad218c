import WebRTCCore

/// A sender report (SR, PT 200), RFC 3550 §6.4.1.
package struct RTCPSenderReport: Sendable, Equatable {
    /// The sender's SSRC.
    package var ssrc: UInt32
    /// 64-bit NTP timestamp (seconds since 1900 in the upper half, fraction in the lower).
    package var ntpTimestamp: UInt64
    /// The RTP timestamp corresponding to `ntpTimestamp`.
    package var rtpTimestamp: UInt32
    /// Packets sent since starting transmission.
    package var packetCount: UInt32
    /// Payload octets sent since starting transmission.
    package var octetCount: UInt32
    /// Reception report blocks (at most 31 are written).
    package var reports: [RTCPReportBlock]

    /// An SR with every field given.
    package init(ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
                 reports: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reports = reports
    }

    /// The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR (RFC 3550 §6.4.1).
    package var compactNTP: UInt32 { UInt32(truncatingIfNeeded: ntpTimestamp >> 16) }

    /// Parses the body after the common header; `count` is the RC field. A profile-specific
    /// extension after the report blocks is ignored.
    package init(count: UInt8, body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        guard let ssrc = r.u32(), let ntp = r.u64(), let rtp = r.u32(), let packets = r.u32(), let octets = r.u32() else {
            throw .truncated
        }
        self.ssrc = ssrc
        ntpTimestamp = ntp
        rtpTimestamp = rtp
        packetCount = packets
        octetCount = octets
        reports = try RTCPReceiverReport.readBlocks(Int(count), &r)
    }

    /// Writes the whole SR packet, header included.
    package func write(into w: inout ByteWriter) {
        let blocks = reports.prefix(31)
        RTCPHeader.write(into: &w, count: UInt8(blocks.count), type: RTCPHeader.senderReport) { w in
            w.u32(ssrc)
            w.u64(ntpTimestamp)
            w.u32(rtpTimestamp)
            w.u32(packetCount)
            w.u32(octetCount)
            for b in blocks { b.write(into: &w) }
        }
    }
}
