import WebRTCCore

/// A source description (SDES, PT 202), RFC 3550 §6.5.
package struct RTCPSourceDescription: Sendable, Equatable {
    /// The CNAME item type (RFC 3550 §6.5.1).
    package static let cnameType: UInt8 = 1

    /// One SDES item: its type and value (at most 255 bytes are written).
    package struct Item: Sendable, Equatable {
        /// The item type (1 CNAME, 2 NAME, …).
        package var type: UInt8
        /// The raw value (UTF-8 text for the RFC 3550 items).
        package var value: [UInt8]

        /// An item of `type` with `value`.
        package init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }
    }

    /// The items describing one source.
    package struct Chunk: Sendable, Equatable {
        /// The source described.
        package var ssrc: UInt32
        /// Its items in order.
        package var items: [Item]

        /// A chunk with `items`.
        package init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        /// A chunk carrying only a CNAME, as WebRTC sends.
        package init(ssrc: UInt32, cname: String) {
            self.init(ssrc: ssrc, items: [Item(type: RTCPSourceDescription.cnameType, value: Array(cname.utf8))])
        }

        /// The CNAME item's text, nil if absent.
        package var cname: String? {
            items.first { $0.type == RTCPSourceDescription.cnameType }.map { String(decoding: $0.value, as: UTF8.self) }
        }
    }

    /// The chunks (at most 31 are written).
    package var chunks: [Chunk]

    /// An SDES with `chunks`.
    package init(chunks: [Chunk]) { self.chunks = chunks }

    /// Parses the body after the common header; `count` is the SC field.
    package init(count: UInt8, body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        var chunks: [Chunk] = []
        for _ in 0..<count {
            guard let ssrc = r.u32() else { throw .truncated }
            var items: [Item] = []
            while true {
                guard let type = r.u8() else { throw .malformed }  // no terminating null item
                if type == 0 {
                    // RFC 3550 §6.5: the list ends with a null octet, then padding to a 32-bit boundary.
                    let used = (r.offset - body.startIndex) % 4
                    if used != 0, !r.skip(4 - used) { throw .malformed }
                    break
                }
                guard let length = r.u8(), let value = r.take(Int(length)) else { throw .truncated }
                items.append(Item(type: type, value: Array(value)))
            }
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
        self.chunks = chunks
    }

    /// Writes the whole SDES packet, header included.
    package func write(into w: inout ByteWriter) {
        let list = chunks.prefix(31)
        RTCPHeader.write(into: &w, count: UInt8(list.count), type: RTCPHeader.sourceDescription) { w in
            let bodyStart = w.bytes.count
            for c in list {
                w.u32(c.ssrc)
                for item in c.items where item.type != 0 {
                    let value = item.value.prefix(255)
                    w.u8(item.type)
                    w.u8(UInt8(value.count))
                    w.append(value)
                }
                // At least one null octet, then up to the next 32-bit boundary.
                w.u8(0)
                while (w.bytes.count - bodyStart) % 4 != 0 { w.u8(0) }
            }
        }
    }
}
