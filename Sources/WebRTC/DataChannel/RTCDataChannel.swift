#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import Synchronization
import WebRTCSCTP

/// A bidirectional message channel over SCTP (webrtc-pc §6.2).
///
/// Properties read a snapshot kept by the connection's executor; `send` is synchronous like the
/// W3C method (it validates, counts `bufferedAmount`, and queues), and `write` is its `async`
/// sibling that suspends while `bufferedAmount` is above ``highWaterMark``, so a naive sender
/// cannot grow memory without bound. Events reach both the `on…` handlers and the streams.
public final class RTCDataChannel: Sendable {
    private struct State {
        var id: UInt16?
        var readyState: RTCDataChannelState = .connecting
        var maxMessageSize: Double
        var outbox: [DataChannelMessage] = []
        var outboxBytes = 0
        var engineBuffered = 0
        var threshold = 0
        var flushScheduled = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// `close()` was called: nothing more is delivered.
        var closedByApplication = false
    }

    let parameters: DataChannelParameters
    private let state: Mutex<State>
    /// The engine's name for this channel.
    let handle: Int
    private let driver: PeerConnectionDriver

    private let openChannel = EventChannel<Void>()
    /// Received messages, held until read (receive flow control).
    private let inbox: MessageInbox
    private let lowChannel = EventChannel<Void>()
    private let errorChannel = EventChannel<RTCError>()
    private let closingChannel = EventChannel<Void>()
    private let closeChannel = EventChannel<Void>()

    init(parameters: DataChannelParameters, handle: Int, driver: PeerConnectionDriver, maxMessageSize: Double) {
        self.parameters = parameters
        self.handle = handle
        self.driver = driver
        inbox = MessageInbox(report: { [weak driver] _ in
            guard let driver else { return }
            driver.eventLoop.execute { driver.assumeIsolated { $0.channelMessagesRead(handle) } }
        })
        state = Mutex(State(id: parameters.negotiated ? parameters.id : nil, maxMessageSize: maxMessageSize))
    }

    // MARK: attributes

    /// The label given at creation.
    public var label: String { parameters.label }
    /// Whether delivery is ordered.
    public var ordered: Bool { parameters.ordered }
    /// The partial-reliability lifetime in milliseconds.
    public var maxPacketLifeTime: Int? { parameters.maxPacketLifeTime.map(Int.init) }
    /// The partial-reliability retransmission limit.
    public var maxRetransmits: Int? { parameters.maxRetransmits.map(Int.init) }
    /// The subprotocol.
    public var `protocol`: String { parameters.protocol }
    /// Whether the application negotiated the channel (no DCEP).
    public var negotiated: Bool { parameters.negotiated }
    /// The SCTP stream id; nil until the DTLS role is known.
    public var id: Int? { state.withLock { $0.id.map(Int.init) } }
    /// The priority.
    public var priority: RTCPriorityType { RTCPriorityType(dcepValue: parameters.priority) }
    /// The channel state.
    public var readyState: RTCDataChannelState { state.withLock { $0.readyState } }
    /// Bytes queued by `send` and not yet handed to the network.
    public var bufferedAmount: Int { state.withLock { $0.outboxBytes + $0.engineBuffered } }
    /// `bufferedamountlow` fires when `bufferedAmount` falls to or below this.
    public var bufferedAmountLowThreshold: Int {
        get { state.withLock { $0.threshold } }
        set {
            state.withLock { $0.threshold = max(0, newValue) }
            let value = max(0, newValue)
            driver.eventLoop.execute { [self] in driver.assumeIsolated { $0.channelSetThreshold(self, value) } }
        }
    }
    /// `write` suspends while `bufferedAmount` is above this (default 4 MiB).
    public let highWaterMark: Int = 4 * 1024 * 1024
    /// The binary type; messages always arrive as ``RTCDataChannelMessage/binary(_:)``.
    public var binaryType: String { "arraybuffer" }

    // MARK: events

    /// Called when the channel opens.
    public var onOpen: (@Sendable () -> Void)? {
        get { openChannel.voidHandler }
        set { openChannel.voidHandler = newValue }
    }
    /// Called for every received message.
    public var onMessage: (@Sendable (RTCDataChannelMessage) -> Void)? {
        get { inbox.handler }
        set { inbox.handler = newValue }
    }
    /// Called when `bufferedAmount` crosses down to the threshold.
    public var onBufferedAmountLow: (@Sendable () -> Void)? {
        get { lowChannel.voidHandler }
        set { lowChannel.voidHandler = newValue }
    }
    /// Called when the channel fails (e.g. the connection closed under it).
    public var onError: (@Sendable (RTCError) -> Void)? {
        get { errorChannel.handler }
        set { errorChannel.handler = newValue }
    }
    /// Called when closing starts.
    public var onClosing: (@Sendable () -> Void)? {
        get { closingChannel.voidHandler }
        set { closingChannel.voidHandler = newValue }
    }
    /// Called when the channel is closed.
    public var onClose: (@Sendable () -> Void)? {
        get { closeChannel.voidHandler }
        set { closeChannel.voidHandler = newValue }
    }

    /// Received messages, in order. Messages that arrive before anyone listens are kept for the
    /// first listener (handler or stream). A message counts as read when a handler returned from
    /// it or an iterator took it: while the application does not read, the connection stops
    /// reading from the network and the remote sender is held back (memory stays bounded).
    public var messages: AsyncStream<RTCDataChannelMessage> {
        let inbox = self.inbox
        return AsyncStream(unfolding: { await inbox.next() })
    }
    /// `open` events.
    public var openEvents: AsyncStream<Void> { openChannel.stream }
    /// `bufferedamountlow` events.
    public var bufferedAmountLowEvents: AsyncStream<Void> { lowChannel.stream }
    /// `error` events.
    public var errors: AsyncStream<RTCError> { errorChannel.stream }
    /// `closing` events.
    public var closingEvents: AsyncStream<Void> { closingChannel.stream }
    /// `close` events.
    public var closeEvents: AsyncStream<Void> { closeChannel.stream }

    /// Suspends until the channel is open; throws `InvalidStateError` if it closes first.
    public func waitUntilOpen() async throws {
        if readyState == .open { return }
        if readyState == .closed || readyState == .closing { throw RTCError.invalidState("The data channel closed before opening.") }
        let opened: Bool = await withCheckedContinuation { (cont: CheckedContinuation<Bool, Never>) in
            let once = Mutex(Optional(cont))
            let resume: @Sendable (Bool) -> Void = { v in once.withLock { c in c?.resume(returning: v); c = nil } }
            Task { for await _ in openChannel.stream { resume(true); break } ; resume(false) }
            Task { for await _ in closeChannel.stream { resume(false); break } }
            if readyState == .open { resume(true) }
        }
        if !opened && readyState != .open { throw RTCError.invalidState("The data channel closed before opening.") }
    }

    // MARK: sending

    /// Sends text (PPID 51; empty text uses PPID 56).
    public func send(_ text: String) throws { try enqueue(.text(text), size: text.utf8.count) }
    /// Sends binary data (PPID 53; empty data uses PPID 57).
    public func send(_ data: Data) throws { try enqueue(.binary(Array(data)), size: data.count) }
    /// Sends bytes as a binary message.
    public func send(_ bytes: [UInt8]) throws { try enqueue(.binary(bytes), size: bytes.count) }
    /// Sends a message.
    public func send(_ message: RTCDataChannelMessage) throws {
        switch message {
        case .text(let s): try send(s)
        case .binary(let d): try send(d)
        }
    }

    /// Sends, first suspending while `bufferedAmount` is above ``highWaterMark`` (back-pressure).
    public func write(_ message: RTCDataChannelMessage) async throws {
        while true {
            let wait: Bool = state.withLock { $0.outboxBytes + $0.engineBuffered > highWaterMark && $0.readyState == .open }
            if !wait { break }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.outboxBytes + s.engineBuffered <= highWaterMark || s.readyState != .open { return true }
                    s.waiters.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
        try send(message)
    }

    private func enqueue(_ m: DataChannelMessage, size: Int) throws {
        let schedule: Bool = try state.withLock { s in
            guard s.readyState == .open else {
                throw RTCError(.invalidStateError, "send() needs an open data channel (it is \(s.readyState.rawValue)).")
            }
            if Double(size) > s.maxMessageSize {
                throw RTCError(.typeError, "The message (\(size) bytes) is larger than sctp.maxMessageSize (\(Int(s.maxMessageSize))).")
            }
            s.outbox.append(m)
            s.outboxBytes += size
            defer { s.flushScheduled = true }
            return !s.flushScheduled
        }
        guard schedule else { return }
        if driver.eventLoop.inEventLoop {
            // Already on the connection's executor (e.g. in a message handler): no extra hop.
            driver.assumeIsolated { $0.flushOutbox(of: self) }
        } else {
            driver.eventLoop.execute { [self] in driver.assumeIsolated { $0.flushOutbox(of: self) } }
        }
    }

    /// Moves the outbox into the SCTP engine (on the connection's executor).
    func takeOutbox() -> [DataChannelMessage] {
        state.withLock { s in
            // The bytes now count as the engine's until it publishes its own figure, so
            // `bufferedAmount` never dips to 0 in between and the next publish sees the crossing.
            defer { s.outbox.removeAll(keepingCapacity: true); s.engineBuffered += s.outboxBytes; s.outboxBytes = 0; s.flushScheduled = false }
            return s.outbox
        }
    }

    /// Closes the channel (RFC 8831 §6.7 stream reset); `closing` now, `close` when both sides are done.
    public func close() {
        let proceed: Bool = state.withLock { s in
            guard s.readyState == .connecting || s.readyState == .open else { return false }
            s.readyState = .closing
            s.closedByApplication = true
            return true
        }
        guard proceed else { return }
        driver.eventLoop.execute { [self] in driver.assumeIsolated { $0.channelClose(self) } }
    }

    // MARK: executor-side updates

    var currentID: UInt16? { state.withLock { $0.id } }

    func assignID(_ id: UInt16) { state.withLock { $0.id = id } }

    func updateMaxMessageSize(_ size: Double) { state.withLock { $0.maxMessageSize = size } }

    func markOpen() { state.withLock { if $0.readyState == .connecting { $0.readyState = .open } } }

    func announceOpen() { if readyState == .open { openChannel.emit(()) } }

    func didOpen() {
        let changed: Bool = state.withLock { s in
            guard s.readyState == .connecting else { return false }
            s.readyState = .open
            return true
        }
        if changed { openChannel.emit(()) }
    }

    /// Hands a received message to the reader; returns the bytes read at once (0: held). A
    /// channel the application closed delivers nothing more (webrtc-pc §6.2 close steps).
    func deliver(_ m: DataChannelMessage) -> Int {
        if state.withLock({ $0.closedByApplication || $0.readyState == .closed }) { return m.byteCount }
        switch m {
        case .text(let s): return inbox.deliver(.text(s))
        case .binary(let b): return inbox.deliver(.binary(Data(b)))
        }
    }

    /// Bytes read by iterators since the last call (on the executor).
    func takeReadBytes() -> Int { inbox.takeUnreported() }

    /// Publishes the engine's buffered byte count; fires `bufferedamountlow` on a downward crossing.
    func publishBuffered(_ engineAmount: Int, lowEvent: Bool) {
        let (crossed, waiters): (Bool, [CheckedContinuation<Void, Never>]) = state.withLock { s in
            let before = s.outboxBytes + s.engineBuffered
            s.engineBuffered = engineAmount
            let after = s.outboxBytes + s.engineBuffered
            var ready: [CheckedContinuation<Void, Never>] = []
            if after <= highWaterMark { ready = s.waiters; s.waiters.removeAll() }
            return (before > s.threshold && after <= s.threshold, ready)
        }
        for w in waiters { w.resume() }
        if crossed { lowChannel.emit(()) }
    }

    func didStartClosing() {
        let changed: Bool = state.withLock { s in
            guard s.readyState != .closed else { return false }
            let was = s.readyState
            s.readyState = .closing
            return was != .closing
        }
        if changed { closingChannel.emit(()) }
    }

    func fail(_ error: RTCError) { errorChannel.emit(error) }

    func didClose() {
        let (changed, waiters): (Bool, [CheckedContinuation<Void, Never>]) = state.withLock { s in
            guard s.readyState != .closed else { return (false, []) }
            s.readyState = .closed
            defer { s.waiters.removeAll() }
            return (true, s.waiters)
        }
        for w in waiters { w.resume() }
        guard changed else { return }
        closeChannel.emit(())
        for c in [openChannel, lowChannel, closingChannel, closeChannel] { c.finish() }
        inbox.finish()
        errorChannel.finish()
    }

    /// Sets `closed` without events (connection `close()`, webrtc-pc §4.4.1.7 step 5).
    func closeSilently() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.readyState = .closed
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in waiters { w.resume() }
        for c in [openChannel, lowChannel, closingChannel, closeChannel] { c.finish() }
        inbox.discard()
        errorChannel.finish()
    }
}
