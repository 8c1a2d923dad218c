import WebRTCCore

/// A goodbye packet (BYE, PT 203), RFC 3550 §6.6.
package struct RTCPBye: Sendable, Equatable {
    /// The sources leaving (at most 31 are written).
    package var sources: [UInt32]
    /// The optional reason for leaving (at most 255 bytes are written).
    package var reason: [UInt8]?

    /// A BYE for `sources`.
    package init(sources: [UInt32], reason: [UInt8]? = nil) {
        self.sources = sources
        self.reason = reason
    }

    /// Parses the body after the common header; `count` is the SC field.
    package init(count: UInt8, body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        guard r.remaining >= 4 * Int(count) else { throw .truncated }
        var list: [UInt32] = []
        list.reserveCapacity(Int(count))
        for _ in 0..<count { if let s = r.u32() { list.append(s) } }
        sources = list
        if let length = r.u8() {
            guard let text = r.take(Int(length)) else { throw .truncated }
            reason = Array(text)
        } else {
            reason = nil
        }
    }

    /// Writes the whole BYE packet, header included.
    package func write(into w: inout ByteWriter) {
        let list = sources.prefix(31)
        RTCPHeader.write(into: &w, count: UInt8(list.count), type: RTCPHeader.bye) { w in
            for s in list { w.u32(s) }
            if let reason {
                let text = reason.prefix(255)
                w.u8(UInt8(text.count))
                w.append(text)
            }
        }
    }
}
