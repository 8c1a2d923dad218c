/// RFC 7983 §7 demultiplexing of a datagram arriving on an ICE socket by its first byte.
package enum PacketClass: Sendable, Equatable {
    case stun, zrtp, dtls, turnChannel, rtpOrRtcp, unknown

    /// Classifies by the first byte: 0–3 STUN, 16–19 ZRTP, 20–63 DTLS, 64–79 TURN channel, 128–191 RTP/RTCP.
    package init(firstByte b: UInt8) {
        switch b {
        case 0...3: self = .stun
        case 16...19: self = .zrtp
        case 20...63: self = .dtls
        case 64...79: self = .turnChannel
        case 128...191: self = .rtpOrRtcp
        default: self = .unknown
        }
    }

    package init<C: Collection>(_ datagram: C) where C.Element == UInt8 {
        guard let b = datagram.first else { self = .unknown; return }
        self.init(firstByte: b)
    }
}
