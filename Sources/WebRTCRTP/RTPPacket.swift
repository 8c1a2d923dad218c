import WebRTCCore

/// An RTP data packet, RFC 3550 §5.1.
///
/// Parsing is cheap: the payload and the header-extension block are slices of the input (no copy),
/// and the CSRC array is only allocated when CC > 0. Header extension elements (RFC 8285) are read
/// on demand by id from `extensionData`; see `RTPHeaderExtensions`.
package struct RTPPacket: Sendable, Equatable {
    /// Size of the fixed header without CSRCs or extension.
    package static let fixedHeaderLength = 12

    /// The M bit.
    package var marker: Bool
    /// The 7-bit payload type.
    package var payloadType: UInt8
    /// The 16-bit sequence number.
    package var sequenceNumber: UInt16
    /// The RTP timestamp.
    package var timestamp: UInt32
    /// The synchronisation source.
    package var ssrc: UInt32
    /// Contributing sources (at most 15).
    package var csrcs: [UInt32]
    /// The header extension's 16-bit profile field (0xBEDE one-byte, 0x100x two-byte per RFC 8285),
    /// nil when the X bit is clear.
    package var extensionProfile: UInt16?
    /// The header extension's data after its 4-byte header (a whole number of 32-bit words).
    package var extensionData: ArraySlice<UInt8>
    /// The payload, padding excluded.
    package var payload: ArraySlice<UInt8>
    /// Number of padding bytes to add on serialisation, the count byte included (0: no padding).
    package var paddingLength: Int

    /// A packet built field by field.
    package init(payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
                 marker: Bool = false, csrcs: [UInt32] = [], payload: ArraySlice<UInt8> = [],
                 paddingLength: Int = 0) {
        self.marker = marker
        self.payloadType = payloadType & 0x7F
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensionProfile = nil
        self.extensionData = []
        self.payload = payload
        self.paddingLength = paddingLength
    }

    /// Parses a whole RTP packet; throws the reason it is malformed. Never traps.
    package init(parsing bytes: ArraySlice<UInt8>) throws(RTPParseError) {
        let start = bytes.startIndex, end = bytes.endIndex
        guard bytes.count >= Self.fixedHeaderLength else { throw .tooShort }
        let b0 = bytes[start], b1 = bytes[start + 1]
        guard b0 >> 6 == 2 else { throw .badVersion }
        let hasPadding = b0 & 0x20 != 0
        let hasExtension = b0 & 0x10 != 0
        let csrcCount = Int(b0 & 0x0F)
        marker = b1 & 0x80 != 0
        payloadType = b1 & 0x7F
        sequenceNumber = UInt16(bytes[start + 2]) << 8 | UInt16(bytes[start + 3])
        timestamp = Self.u32(bytes, start + 4)
        ssrc = Self.u32(bytes, start + 8)

        var offset = start + Self.fixedHeaderLength
        guard end - offset >= 4 * csrcCount else { throw .csrcOverflow }
        if csrcCount > 0 {
            var list: [UInt32] = []
            list.reserveCapacity(csrcCount)
            for i in 0..<csrcCount { list.append(Self.u32(bytes, offset + 4 * i)) }
            csrcs = list
        } else {
            csrcs = []
        }
        offset += 4 * csrcCount

        // RFC 3550 §5.3.1: profile (16), length in 32-bit words (16), then the data.
        if hasExtension {
            guard end - offset >= 4 else { throw .extensionOverflow }
            let profile = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let words = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            offset += 4
            guard end - offset >= 4 * words else { throw .extensionOverflow }
            extensionProfile = profile
            extensionData = bytes[offset..<offset + 4 * words]
            offset += 4 * words
        } else {
            extensionProfile = nil
            extensionData = bytes[offset..<offset]
        }

        // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
        if hasPadding {
            guard end > offset else { throw .badPadding }
            let count = Int(bytes[end - 1])
            guard count >= 1, count <= end - offset else { throw .badPadding }
            paddingLength = count
        } else {
            paddingLength = 0
        }
        payload = bytes[offset..<end - paddingLength]
    }

    /// Parses `bytes`, or records why not in `drops` and returns nil.
    package init?(_ bytes: ArraySlice<UInt8>, drops: inout DropCounters) {
        do {
            try self.init(parsing: bytes)
        } catch {
            drops.drop(error.dropReason)
            return nil
        }
    }

    /// Length of the serialised header (fixed part, CSRCs, extension).
    package var headerLength: Int {
        Self.fixedHeaderLength + 4 * csrcs.count + (extensionProfile == nil ? 0 : 4 + extensionData.count)
    }

    /// The packet on the wire. CSRCs beyond 15 are not written; extension data is written as given
    /// (it must be a multiple of 4 bytes, as `setHeaderExtensions` produces); padding bytes are
    /// zero with the count in the last one (RFC 3550 §5.1).
    package func serialized() -> [UInt8] {
        let cc = min(csrcs.count, 15)
        let pad = max(0, min(paddingLength, 255))
        var w = ByteWriter(capacity: headerLength + payload.count + pad)
        w.u8(0x80 | (pad > 0 ? 0x20 : 0) | (extensionProfile != nil ? 0x10 : 0) | UInt8(cc))
        w.u8((marker ? 0x80 : 0) | payloadType & 0x7F)
        w.u16(sequenceNumber)
        w.u32(timestamp)
        w.u32(ssrc)
        for c in csrcs.prefix(cc) { w.u32(c) }
        if let profile = extensionProfile {
            let words = (extensionData.count + 3) / 4
            w.u16(profile)
            w.u16(UInt16(truncatingIfNeeded: words))
            w.append(extensionData)
            for _ in extensionData.count..<words * 4 { w.u8(0) }
        }
        w.append(payload)
        if pad > 0 {
            for _ in 1..<pad { w.u8(0) }
            w.u8(UInt8(pad))
        }
        return w.bytes
    }

    /// The big-endian u32 at index `i` (the caller has checked the bounds).
    @inline(__always)
    static func u32(_ b: ArraySlice<UInt8>, _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
}
