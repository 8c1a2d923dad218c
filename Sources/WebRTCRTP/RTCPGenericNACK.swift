import WebRTCCore

/// A generic NACK (RTPFB, PT 205, FMT 1), RFC 4585 §6.2.1.
package struct RTCPGenericNACK: Sendable, Equatable {
    /// The feedback message type in the count field.
    package static let format: UInt8 = 1

    /// One FCI entry: a lost packet id and a bitmask of the 16 packets after it.
    package struct Entry: Sendable, Equatable {
        /// PID: the sequence number of a lost packet.
        package var packetID: UInt16
        /// BLP: bit i (least significant = bit 1 in the RFC's numbering) set means PID + i is lost too.
        package var bitmask: UInt16

        /// An entry with `packetID` and `bitmask`.
        package init(packetID: UInt16, bitmask: UInt16) {
            self.packetID = packetID
            self.bitmask = bitmask
        }

        /// Every sequence number this entry reports lost, PID first.
        package var sequenceNumbers: [UInt16] {
            var out = [packetID]
            for i in 0..<16 where bitmask & (1 << i) != 0 { out.append(packetID &+ UInt16(i + 1)) }
            return out
        }
    }

    /// The sender of the feedback.
    package var senderSSRC: UInt32
    /// The media source the NACK is about.
    package var mediaSSRC: UInt32
    /// FCI entries.
    package var entries: [Entry]

    /// A NACK with explicit entries.
    package init(senderSSRC: UInt32, mediaSSRC: UInt32, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// A NACK for `lost` sequence numbers (see `entries(for:)`).
    package init(senderSSRC: UInt32, mediaSSRC: UInt32, lost: [UInt16]) {
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, entries: Self.entries(for: lost))
    }

    /// Every sequence number reported lost, in entry order (duplicates removed).
    package var sequenceNumbers: [UInt16] {
        var seen = Set<UInt16>()
        return entries.flatMap(\.sequenceNumbers).filter { seen.insert($0).inserted }
    }

    /// Packs sequence numbers into as few PID+BLP entries as a forward sweep allows. The numbers are
    /// ordered around the 16-bit circle starting after its largest empty stretch, so that a list
    /// crossing the wrap (65535, 0, 1) stays together and input order does not matter; duplicates
    /// are ignored.
    package static func entries(for lost: [UInt16]) -> [Entry] {
        let sorted = Set(lost).sorted()
        guard let last = sorted.last else { return [] }
        // The start is the element after the largest gap, the wrap from last to first included.
        var start = 0
        var widest = Int(sorted[0]) + 65536 - Int(last)
        for i in 1..<sorted.count where Int(sorted[i]) - Int(sorted[i - 1]) > widest {
            widest = Int(sorted[i]) - Int(sorted[i - 1])
            start = i
        }
        var out: [Entry] = []
        for k in 0..<sorted.count {
            let seq = sorted[(start + k) % sorted.count]
            if var entry = out.last {
                let d = seq &- entry.packetID
                if d >= 1 && d <= 16 {
                    entry.bitmask |= 1 << (d - 1)
                    out[out.count - 1] = entry
                    continue
                }
            }
            out.append(Entry(packetID: seq, bitmask: 0))
        }
        return out
    }

    /// Parses the body after the common header.
    package init(body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        guard let sender = r.u32(), let media = r.u32() else { throw .truncated }
        senderSSRC = sender
        mediaSSRC = media
        var list: [Entry] = []
        list.reserveCapacity(r.remaining / 4)
        while r.remaining >= 4, let pid = r.u16(), let blp = r.u16() { list.append(Entry(packetID: pid, bitmask: blp)) }
        guard !list.isEmpty else { throw .truncated }  // RFC 4585 §6.2.1: at least one FCI entry
        entries = list
    }

    /// Writes the whole packet, header included.
    package func write(into w: inout ByteWriter) {
        RTCPHeader.write(into: &w, count: Self.format, type: RTCPHeader.transportFeedback) { w in
            w.u32(senderSSRC)
            w.u32(mediaSSRC)
            for e in entries {
                w.u16(e.packetID)
                w.u16(e.bitmask)
            }
        }
    }
}
