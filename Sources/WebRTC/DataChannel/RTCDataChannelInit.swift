/// Options of `createDataChannel` (webrtc-pc §6.2 `RTCDataChannelInit`).
public struct RTCDataChannelInit: Sendable, Hashable {
    /// Deliver in order (default true).
    public var ordered: Bool = true
    /// Give up on a message after this many milliseconds.
    public var maxPacketLifeTime: Int?
    /// Give up on a message after this many retransmissions.
    public var maxRetransmits: Int?
    /// The subprotocol name.
    public var `protocol`: String = ""
    /// The application negotiates the channel itself (no DCEP) and must give `id`.
    public var negotiated: Bool = false
    /// The SCTP stream id (required when negotiated).
    public var id: Int?
    /// The priority.
    public var priority: RTCPriorityType = .low

    /// Creates options.
    public init(ordered: Bool = true, maxPacketLifeTime: Int? = nil, maxRetransmits: Int? = nil,
                protocol: String = "", negotiated: Bool = false, id: Int? = nil, priority: RTCPriorityType = .low) {
        self.ordered = ordered
        self.maxPacketLifeTime = maxPacketLifeTime
        self.maxRetransmits = maxRetransmits
        self.protocol = `protocol`
        self.negotiated = negotiated
        self.id = id
        self.priority = priority
    }
}

/// A data-channel priority (RFC 8831 §6.4 / webrtc-priority).
public enum RTCPriorityType: String, Sendable, Hashable {
    case veryLow = "very-low", low, medium, high

    /// The DCEP priority value (RFC 8832 §5.1).
    var dcepValue: UInt16 {
        switch self {
        case .veryLow: return 128
        case .low: return 256
        case .medium: return 512
        case .high: return 1024
        }
    }

    init(dcepValue v: UInt16) {
        switch v {
        case ..<256: self = .veryLow
        case 256..<512: self = .low
        case 512..<1024: self = .medium
        default: self = .high
        }
    }
}
