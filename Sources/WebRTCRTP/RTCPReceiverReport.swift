import WebRTCCore

/// A receiver report (RR, PT 201), RFC 3550 §6.4.2.
package struct RTCPReceiverReport: Sendable, Equatable {
    /// The reporter's SSRC.
    package var ssrc: UInt32
    /// Reception report blocks (at most 31 are written).
    package var reports: [RTCPReportBlock]

    /// An RR with every field given.
    package init(ssrc: UInt32, reports: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.reports = reports
    }

    /// Parses the body after the common header; `count` is the RC field.
    package init(count: UInt8, body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        guard let ssrc = r.u32() else { throw .truncated }
        self.ssrc = ssrc
        reports = try Self.readBlocks(Int(count), &r)
    }

    /// Reads `count` report blocks; throws `.truncated` when the body holds fewer.
    static func readBlocks(_ count: Int, _ r: inout ByteReader) throws(RTCPBodyError) -> [RTCPReportBlock] {
        // RFC 3550 §6.4.1: RC blocks must fit in the length; check before allocating.
        guard r.remaining >= count * RTCPReportBlock.length else { throw .truncated }
        var blocks: [RTCPReportBlock] = []
        blocks.reserveCapacity(count)
        for _ in 0..<count {
            guard let b = RTCPReportBlock(&r) else { throw .truncated }
            blocks.append(b)
        }
        return blocks
    }

    /// Writes the whole RR packet, header included.
    package func write(into w: inout ByteWriter) {
        let blocks = reports.prefix(31)
        RTCPHeader.write(into: &w, count: UInt8(blocks.count), type: RTCPHeader.receiverReport) { w in
            w.u32(ssrc)
            for b in blocks { b.write(into: &w) }
        }
    }
}
