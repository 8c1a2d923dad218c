import WebRTCCore

/// A full intra request (PSFB, PT 206, FMT 4), RFC 5104 §4.3.1.
package struct RTCPFullIntraRequest: Sendable, Equatable {
    /// The feedback message type in the count field.
    package static let format: UInt8 = 4

    /// One FCI entry: the source asked for a decoder refresh and the command sequence number.
    package struct Entry: Sendable, Equatable {
        /// The media sender asked to send an intra picture.
        package var ssrc: UInt32
        /// Incremented per new request; repeats of one request keep it (RFC 5104 §4.3.1.1).
        package var sequenceNumber: UInt8

        /// An entry for `ssrc` with `sequenceNumber`.
        package init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    /// The sender of the feedback.
    package var senderSSRC: UInt32
    /// FCI entries.
    package var entries: [Entry]

    /// A FIR with `entries`.
    package init(senderSSRC: UInt32, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.entries = entries
    }

    /// Parses the body after the common header. The media SSRC field is ignored: RFC 5104 §4.3.1.2
    /// says it is unused (0).
    package init(body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        guard let sender = r.u32(), r.u32() != nil else { throw .truncated }
        senderSSRC = sender
        var list: [Entry] = []
        while r.remaining >= 8, let ssrc = r.u32(), let word = r.u32() {
            list.append(Entry(ssrc: ssrc, sequenceNumber: UInt8(word >> 24)))
        }
        guard !list.isEmpty else { throw .truncated }
        entries = list
    }

    /// Writes the whole packet, header included.
    package func write(into w: inout ByteWriter) {
        RTCPHeader.write(into: &w, count: Self.format, type: RTCPHeader.payloadFeedback) { w in
            w.u32(senderSSRC)
            w.u32(0)
            for e in entries {
                w.u32(e.ssrc)
                w.u32(UInt32(e.sequenceNumber) << 24)
            }
        }
    }
}
