/// TURN ChannelData framing (RFC 8656 §12.4): channel number (0x4000–0x4FFF), length, data;
/// padded to 4 bytes over TCP/TLS (required), optional over UDP.
package struct TURNChannelData: Sendable, Hashable {
    package static let channelRange: ClosedRange<UInt16> = 0x4000...0x4FFF

    package var channel: UInt16
    package var data: [UInt8]

    package init(channel: UInt16, data: [UInt8]) {
        self.channel = channel
        self.data = data
    }

    /// The framed bytes; `pad` rounds up to a multiple of 4 (required on stream transports).
    package func encode(pad: Bool = false) -> [UInt8] {
        let body = data.count > 0xFFFF ? Array(data.prefix(0xFFFF)) : data
        var out = [UInt8(channel >> 8), UInt8(channel & 0xFF), UInt8(body.count >> 8), UInt8(body.count & 0xFF)]
        out.reserveCapacity(4 + body.count + 3)
        out.append(contentsOf: body)
        if pad { out.append(contentsOf: repeatElement(0, count: (4 - body.count % 4) % 4)) }
        return out
    }

    /// Decodes one ChannelData message from a datagram, or nil when the channel is out of range or
    /// the length overruns the datagram. Trailing bytes (padding) are ignored.
    package static func decode(_ bytes: [UInt8]) -> TURNChannelData? {
        guard bytes.count >= 4 else { return nil }
        let channel = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard channelRange.contains(channel), 4 + length <= bytes.count else { return nil }
        return TURNChannelData(channel: channel, data: Array(bytes[4..<(4 + length)]))
    }

    /// For a byte stream: the number of bytes the next frame (ChannelData padded to 4, or a STUN
    /// message) occupies, given at least its first 4 bytes; nil when fewer are available or the
    /// first bytes are neither.
    package static func streamFrameLength(_ prefix: ArraySlice<UInt8>) -> Int? {
        guard prefix.count >= 4 else { return nil }
        let s = prefix.startIndex
        let first = prefix[s], length = Int(prefix[s + 2]) << 8 | Int(prefix[s + 3])
        if first & 0xC0 == 0 { return 20 + length }  // STUN
        if (0x40...0x4F).contains(first) { return 4 + (length + 3) / 4 * 4 }
        return nil
    }
}
