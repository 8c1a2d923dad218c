import WebRTCCore
import WebRTCSTUN

/// How the client reaches a TURN server (RFC 8656 §3.1). The relayed transport is UDP always.
enum TURNTransport: Equatable {
    case udp, tcp, tls
}

/// One TCP connection (plain or TLS) to a TURN server, carrying exactly one allocation
/// (RFC 8656 §3.1: a TCP/TLS connection is the allocation's 5-tuple).
struct ICEStream {
    enum State: Equatable {
        /// Waiting for the driver to connect.
        case connecting
        /// TCP is up, the TLS handshake runs.
        case handshaking
        /// STUN and ChannelData flow.
        case open
        case closed
    }

    let id: Int
    var server: TransportAddress
    var allocation: Int
    var state: State = .connecting
    var localAddress: TransportAddress?
    var tls: TLSStream?
    /// Received plaintext not yet forming a whole frame.
    var framer = ICEStreamFramer()
    /// Plaintext written before the stream opened (the first Allocate); sent on open.
    var backlog: [UInt8] = []

    /// Upper bound on `backlog`: a few STUN requests, never application data floods.
    static let maxBacklog = 64 * 1024
}

/// Splits a TURN byte stream into STUN messages and ChannelData frames (RFC 8656 §12.5: over
/// TCP and TLS, ChannelData is padded to a multiple of 4 bytes; STUN lengths are multiples of 4).
struct ICEStreamFramer {
    private var buffer: [UInt8] = []
    private var head = 0

    /// Largest frame: a STUN message of 20 + 65,535 bytes, or ChannelData 4 + 65,535 + padding.
    static let maxFrame = 4 + 65_536 + 3 + 20

    /// Appends `bytes` and returns every complete frame (ChannelData with its padding), or nil
    /// when the stream cannot be framed any more (neither STUN nor ChannelData: desynchronised).
    mutating func push(_ bytes: [UInt8]) -> [[UInt8]]? {
        buffer.append(contentsOf: bytes)
        var frames: [[UInt8]] = []
        while buffer.count - head >= 4 {
            guard let length = TURNChannelData.streamFrameLength(buffer[head...]), length >= 4, length <= Self.maxFrame else { return nil }
            guard buffer.count - head >= length else { break }
            frames.append(Array(buffer[head..<(head + length)]))
            head += length
        }
        if head > 0 {
            buffer.removeFirst(head)
            head = 0
        }
        return frames
    }

    /// Bytes held for an incomplete frame.
    var pending: Int { buffer.count - head }
}
