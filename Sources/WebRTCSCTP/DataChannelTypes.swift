/// One data-channel message as the application sees it (RFC 8831 §6.6).
package enum DataChannelMessage: Sendable, Equatable {
    /// A UTF-8 string (PPID 51, or 56 when empty).
    case text(String)
    /// Opaque bytes (PPID 53, or 57 when empty).
    case binary([UInt8])

    /// Number of user payload bytes (UTF-8 length for text), what `bufferedAmount` counts.
    package var byteCount: Int {
        switch self {
        case .text(let s): return s.utf8.count
        case .binary(let b): return b.count
        }
    }
}

/// The parameters of a data channel, as created locally or announced by the peer's
/// DATA_CHANNEL_OPEN (RFC 8832 §5.1).
package struct DataChannelParameters: Sendable, Equatable {
    /// The channel label (any UTF-8, at most 65,535 bytes).
    package var label: String
    /// The sub-protocol name (at most 65,535 UTF-8 bytes).
    package var `protocol`: String = ""
    /// In-order delivery (false: unordered).
    package var ordered: Bool = true
    /// Partial reliability by lifetime in milliseconds (RFC 3758 timed reliability).
    package var maxPacketLifeTime: UInt16?
    /// Partial reliability by retransmission count.
    package var maxRetransmits: UInt16?
    /// DCEP priority (RFC 8832 §5.1; 256 = "normal").
    package var priority: UInt16 = 256
    /// Negotiated out of band: no DCEP, `id` is required.
    package var negotiated: Bool = false
    /// The SCTP stream id, or nil to let the association pick one of its parity.
    package var id: UInt16?

    /// Parameters for a channel called `label`; every other field takes its W3C default.
    package init(label: String, protocol: String = "", ordered: Bool = true,
                 maxPacketLifeTime: UInt16? = nil, maxRetransmits: UInt16? = nil,
                 priority: UInt16 = 256, negotiated: Bool = false, id: UInt16? = nil) {
        self.label = label
        self.protocol = `protocol`
        self.ordered = ordered
        self.maxPacketLifeTime = maxPacketLifeTime
        self.maxRetransmits = maxRetransmits
        self.priority = priority
        self.negotiated = negotiated
        self.id = id
    }
}

/// What the association reports to its owner, drained with `pollEvent()`.
package enum SCTPEvent: Sendable, Equatable {
    /// The association is up; channels created before this are now being opened.
    case connected
    /// A channel we created got its DATA_CHANNEL_ACK (or a negotiated channel became usable).
    case channelOpen(id: UInt16)
    /// The peer opened a channel with DATA_CHANNEL_OPEN; it is already open (ACK queued).
    case remoteChannel(id: UInt16, DataChannelParameters)
    /// A complete message arrived on a channel.
    case message(id: UInt16, DataChannelMessage)
    /// The channel's buffered amount crossed down through its threshold.
    case bufferedAmountLow(id: UInt16)
    /// The peer reset its outgoing stream: the channel is closing (RFC 8831 §6.7).
    case channelClosing(id: UInt16)
    /// Both directions of the channel's stream are reset; the id may be reused.
    case channelClosed(id: UInt16)
    /// The association ended: nil after a graceful shutdown, otherwise why.
    case closed(error: SCTPError?)
}

/// Errors of the SCTP engine; the public layer maps them to `RTCError`.
package enum SCTPError: Error, Equatable, Sendable {
    /// The association was aborted; the first error cause code of the ABORT when known.
    case aborted(causeCode: UInt16?)
    /// The association was shut down.
    case shutdown
    /// usrsctp refused a send for a reason other than a full buffer.
    case sendFailed(String)
    /// The message is larger than the peer's `a=max-message-size`.
    case tooLarge
    /// The operation is not possible in the current state (closed association, closing channel).
    case invalidState
    /// A parameter is out of range (id, both reliability limits, label too long …).
    case invalidParameters(String)
    /// Every stream id of our parity is in use.
    case noAvailableStreamIDs
}

/// The life cycle of an association.
package enum SCTPAssociationState: Sendable, Equatable {
    /// Created or started; INIT/COOKIE exchange in progress.
    case connecting
    /// COMM_UP seen: channels can carry data.
    case connected
    /// Shut down, aborted or closed locally. Final.
    case closed
}

/// SCTP payload protocol identifiers used by WebRTC (RFC 8831 §8).
package enum PPID: UInt32, Sendable {
    case dcep = 50
    case string = 51
    case binaryPartialDeprecated = 52
    case binary = 53
    case stringPartialDeprecated = 54
    case stringEmpty = 56
    case binaryEmpty = 57
}
