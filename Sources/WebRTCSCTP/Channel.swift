/// One message waiting in a channel's send queue, with how much of it usrsctp has taken.
struct OutgoingMessage {
    var bytes: [UInt8]
    var ppid: PPID
    /// Bytes the user sees in `bufferedAmount` (0 for DCEP messages and the empty-message byte).
    var countsAsUserBytes: Bool
    var unordered: Bool
    /// SCTP_PR_SCTP_* policy and value.
    var prPolicy: UInt16
    var prValue: UInt32
    /// Bytes already accepted by usrsctp.
    var offset = 0

    var remaining: Int { bytes.count - offset }
}

/// A FIFO with O(1) amortised pop from the front.
struct FIFO<Element> {
    private var items: [Element] = []
    private var head = 0

    var isEmpty: Bool { head >= items.count }
    var count: Int { items.count - head }
    var first: Element? { isEmpty ? nil : items[head] }

    mutating func append(_ e: Element) { items.append(e) }

    mutating func prepend(_ e: Element) {
        if head > 0 { head -= 1; items[head] = e } else { items.insert(e, at: 0) }
    }

    mutating func modifyFirst(_ body: (inout Element) -> Void) {
        guard !isEmpty else { return }
        body(&items[head])
    }

    @discardableResult
    mutating func popFirst() -> Element? {
        guard !isEmpty else { return nil }
        let e = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return e
    }

    mutating func removeAll() { items = []; head = 0 }
}

/// The send-side and close state of one data channel (one SCTP stream id, both directions).
final class Channel {
    enum Origin { case local, remote, negotiated }

    let id: UInt16
    var parameters: DataChannelParameters
    let origin: Origin
    /// Local channels: DATA_CHANNEL_ACK received. Until then user messages go ordered (RFC 8832 §6).
    var acked: Bool
    /// `channelOpen` has been reported (local and negotiated channels).
    var announcedOpen = false

    var queue = FIFO<OutgoingMessage>()
    /// User bytes in `queue` not yet accepted by usrsctp.
    var queuedUserBytes = 0
    /// User bytes accepted by usrsctp, as (end offset in the association's send sequence, length)
    /// records; see `SendAccounting`.
    var handed = FIFO<(end: UInt64, length: Int)>()
    var handedUserBytes = 0

    var lowThreshold = 0
    /// The buffered amount last computed, to detect a downward crossing of `lowThreshold`.
    var lastAmount = 0

    /// Closing: the user closed it, or the peer reset its outgoing stream.
    var closing = false
    /// Our outgoing stream reset: wanted once the queue is empty, then requested, then done.
    var outgoingResetRequested = false
    var outgoingResetDone = false
    var incomingResetDone = false

    init(id: UInt16, parameters: DataChannelParameters, origin: Origin) {
        self.id = id
        self.parameters = parameters
        self.origin = origin
        self.acked = origin != .local
    }

    /// The (policy, value) usrsctp needs for this channel's reliability (RFC 8831 §6.4).
    var partialReliability: (policy: UInt16, value: UInt32) {
        if let n = parameters.maxRetransmits { return (0x0003, UInt32(n)) }   // SCTP_PR_SCTP_RTX
        if let ms = parameters.maxPacketLifeTime { return (0x0001, UInt32(ms)) } // SCTP_PR_SCTP_TTL
        return (0, 0)                                                           // SCTP_PR_SCTP_NONE
    }

    /// Drops handed records fully acknowledged by `freed` (the association's freed offset) and
    /// returns this channel's user bytes still held by usrsctp.
    func heldBytes(freed: UInt64) -> Int {
        while let r = handed.first, r.end <= freed {
            handedUserBytes -= r.length
            handed.popFirst()
        }
        guard let head = handed.first else { return 0 }
        let start = head.end - UInt64(head.length)
        let partlyFreed = freed > start ? Int(freed - start) : 0
        return handedUserBytes - partlyFreed
    }

    func bufferedAmount(freed: UInt64) -> Int { queuedUserBytes + heldBytes(freed: freed) }
}
