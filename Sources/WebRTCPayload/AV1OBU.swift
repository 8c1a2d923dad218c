/// One AV1 open bitstream unit (AV1 bitstream spec §5.3): header, optional extension, payload.
package struct AV1OBU: Sendable, Equatable {
    /// OBU types used by the payload format (AV1 spec §6.2.2).
    package enum Kind {
        /// OBU_SEQUENCE_HEADER.
        package static let sequenceHeader: UInt8 = 1
        /// OBU_TEMPORAL_DELIMITER.
        package static let temporalDelimiter: UInt8 = 2
        /// OBU_TILE_LIST.
        package static let tileList: UInt8 = 8
        /// OBU_PADDING.
        package static let padding: UInt8 = 15
    }

    /// The header byte as read (forbidden bit, type, extension flag, has_size_field, reserved).
    package var header: UInt8
    /// The extension byte when the extension flag is set.
    package var extensionByte: UInt8?
    /// The OBU payload.
    package var payload: ArraySlice<UInt8>

    /// The obu_type field.
    package var type: UInt8 { header >> 3 & 0x0F }

    /// The temporal delimiter OBU with an empty size field, as a low-overhead stream starts each
    /// temporal unit with.
    package static let temporalDelimiterBytes: [UInt8] = [0x12, 0x00]

    /// The OBU in low-overhead form: has_size_field set and the payload size written (AV1 §5.2).
    package var bytesWithSize: [UInt8] {
        var out: [UInt8] = [header | 0x02]
        if let e = extensionByte { out.append(e) }
        out.append(contentsOf: LEB128.encode(payload.count))
        out.append(contentsOf: payload)
        return out
    }

    /// The OBU as an RTP OBU element: has_size_field cleared, no size (AV1 RTP spec §4.4).
    package var bytesWithoutSize: [UInt8] {
        var out: [UInt8] = [header & ~0x02]
        if let e = extensionByte { out.append(e) }
        out.append(contentsOf: payload)
        return out
    }

    /// Parses one OBU filling `bytes` (an RTP OBU element, or a whole OBU with its size field);
    /// nil when the forbidden bit is set, the header is cut short, or a size field disagrees.
    package static func parseElement(_ bytes: ArraySlice<UInt8>) -> AV1OBU? {
        var i = bytes.startIndex
        guard let obu = parseOne(bytes, at: &i), i == bytes.endIndex else { return nil }
        return obu
    }

    /// Parses a temporal unit in low-overhead bitstream format (a sequence of OBUs, each with a
    /// size field except possibly the last); nil when it is malformed.
    package static func parseTemporalUnit(_ bytes: ArraySlice<UInt8>) -> [AV1OBU]? {
        var obus: [AV1OBU] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            guard let obu = parseOne(bytes, at: &i) else { return nil }
            obus.append(obu)
        }
        return obus
    }

    private static func parseOne(_ bytes: ArraySlice<UInt8>, at i: inout Int) -> AV1OBU? {
        guard i < bytes.endIndex else { return nil }
        let header = bytes[i]
        guard header & 0x80 == 0 else { return nil }
        i += 1
        var ext: UInt8?
        if header & 0x04 != 0 {
            guard i < bytes.endIndex else { return nil }
            ext = bytes[i]
            i += 1
        }
        let size: Int
        if header & 0x02 != 0 {
            guard let s = LEB128.read(bytes, at: &i), s <= bytes.endIndex - i else { return nil }
            size = s
        } else {
            size = bytes.endIndex - i
        }
        let payload = bytes[i..<i + size]
        i += size
        return AV1OBU(header: header, extensionByte: ext, payload: payload)
    }
}
